using MseLab.Experiments.Presets;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Adapter;

/// <summary>
/// The MSE-Adapter (Yang, Dong, Qiang: "MSE-Adapter: A Lightweight Plugin Endowing LLMs with the Capability to Perform
/// Multimodal Sentiment Analysis and Emotion Recognition", arXiv 2502.12478, AAAI 2025; reference: AZYoung233/MSE-Adapter
/// <c>CMCM.py</c>). It turns audio, video and the frozen LLM's text embeddings into P pseudo tokens [B, P, D] that are
/// placed before the text in the LLM's input. Every parameter here is trained; the LLM is not part of this module.
/// State-dict keys equal the official checkpoint's: <c>audio_LSTM.*</c>, <c>video_LSTM.*</c>, <c>text_guide_mixer.*</c>,
/// <c>mutli_scale_fusion.*</c>.
/// </summary>
public sealed class MseAdapter : nn.Module<AdapterInput, Tensor>
{
    [ComponentName(Name = "audio_LSTM")]
    private readonly ModalityLstmEncoder _audioLstm;

    [ComponentName(Name = "video_LSTM")]
    private readonly ModalityLstmEncoder _videoLstm;

    [ComponentName(Name = "text_guide_mixer")]
    private readonly TextGuideMixer _textGuideMixer;

    // The official attribute name carries the typo "mutli"; the key must match for checkpoints to load.
    [ComponentName(Name = "mutli_scale_fusion")]
    private readonly MultiScaleFusion _multiScaleFusion;

    /// <summary>Builds the adapter with PyTorch's default initialisation.</summary>
    /// <param name="config">Sizes; validated here.</param>
    /// <param name="device">Where to allocate the parameters (null: CPU; <c>meta</c> allocates nothing).</param>
    public MseAdapter(MseAdapterConfig config, Device? device = null)
        : base(nameof(MseAdapter))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _audioLstm = new ModalityLstmEncoder("audio", config.AudioFeatureDim, config.AudioHidden, device);
        _videoLstm = new ModalityLstmEncoder("video", config.VideoFeatureDim, config.VideoHidden, device);
        _textGuideMixer = new TextGuideMixer(config.HiddenSize, device);
        _multiScaleFusion = new MultiScaleFusion(config, device);
        RegisterComponents();
    }

    /// <summary>The sizes this adapter was built with.</summary>
    public MseAdapterConfig Config { get; }

    /// <summary>
    /// Counts the trainable parameters of an adapter with <paramref name="config"/> without a backbone and without
    /// allocating weights (the adapter is built on the <c>meta</c> device).
    /// </summary>
    public static AdapterParameterCount CountTrainableParameters(MseAdapterConfig config)
    {
        using var adapter = new MseAdapter(config, device("meta"));
        return adapter.CountTrainableParameters();
    }

    /// <summary>Counts this adapter's parameters that require a gradient, in total and per top-level block.</summary>
    public AdapterParameterCount CountTrainableParameters()
    {
        var modules = named_children()
            .Select(child => new ModuleParameterCount(
                child.name,
                child.module.parameters().Where(p => p.requires_grad).Sum(p => p.numel())))
            .ToList();
        return new AdapterParameterCount(modules.Sum(m => m.Parameters), modules);
    }

    /// <summary>Computes the pseudo tokens [B, P, D] (float32) for one batch.</summary>
    public override Tensor forward(AdapterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var text = CheckedText(input);

        var audio = _audioLstm.call(input.Audio.to_type(ScalarType.Float32), input.AudioLengths); // (B, 256)
        var video = _videoLstm.call(input.Video.to_type(ScalarType.Float32), input.VideoLengths); // (B, 256)
        var fused = _textGuideMixer.call(audio, video, text);                                      // (B, 256)
        return _multiScaleFusion.call(fused).MoveToOuterDisposeScope();                            // (B, P, D)
    }

    private Tensor CheckedText(AdapterInput input)
    {
        var text = input.TextEmbeds;
        if (text.dim() != 3 || text.shape[2] != Config.HiddenSize)
        {
            throw new ArgumentException(
                $"{nameof(AdapterInput.TextEmbeds)} has shape [{string.Join(", ", text.shape)}]; expected [B, L, {Config.HiddenSize}] " +
                "(batch, text length, the LLM hidden size of this adapter's config).");
        }

        var batch = text.shape[0];
        foreach (var (name, tensor) in new[] { (nameof(AdapterInput.Audio), input.Audio), (nameof(AdapterInput.Video), input.Video) })
        {
            if (tensor.dim() < 1 || tensor.shape[0] != batch)
            {
                throw new ArgumentException(
                    $"{name} has shape [{string.Join(", ", tensor.shape)}] but {nameof(AdapterInput.TextEmbeds)} has batch size {batch}; " +
                    "every tensor of one AdapterInput must hold the same samples.");
            }
        }

        if (!text.is_floating_point())
        {
            throw new ArgumentException($"{nameof(AdapterInput.TextEmbeds)} has dtype {text.dtype}; pass the embeddings (floating point), not token ids.");
        }

        // The frozen LLM may run in fp16/bf16; the adapter computes in float32 (the official code runs it under fp16 autocast on CUDA,
        // which TorchSharp 0.107 does not have: a listed deviation, README "Deviations from the official code").
        return text.to_type(ScalarType.Float32);
    }
}
