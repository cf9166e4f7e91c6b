using MseLab.Experiments.Presets;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MseLab.Models.Adapter;

/// <summary>
/// One modality's encoder ("sLSTM" in the paper, <c>TVA_LSTM</c> in the official <c>CMCM.py</c>): a 1-layer
/// unidirectional LSTM over the true-length sequence, its final hidden state, Dropout(0) and Linear(H -> 256).
/// State-dict keys: <c>rnn.*</c> (PyTorch LSTM names) and <c>linear.*</c>.
/// </summary>
public sealed class ModalityLstmEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private static readonly Scalar OneFrame = 1.ToScalar();

    [ComponentName(Name = "rnn")]
    private readonly LSTM _rnn;

    // p = 0 in every official config; kept so the module tree (and train/eval switching) mirrors the reference.
    [ComponentName(Name = "dropout")]
    private readonly Dropout _dropout;

    [ComponentName(Name = "linear")]
    private readonly Linear _linear;

    private readonly string _modality;
    private readonly long _featureDim;

    /// <param name="modality">Name used in error messages ("audio", "video").</param>
    /// <param name="featureDim">d: width of one input frame.</param>
    /// <param name="hidden">H: LSTM hidden size.</param>
    /// <param name="device">Where to allocate the parameters (null: CPU).</param>
    public ModalityLstmEncoder(string modality, int featureDim, int hidden, Device? device = null)
        : base(nameof(ModalityLstmEncoder))
    {
        _modality = modality;
        _featureDim = featureDim;
        _rnn = nn.LSTM(featureDim, hidden, numLayers: 1, batchFirst: true, dropout: 0.0, bidirectional: false, device: device);
        _dropout = nn.Dropout(0.0);
        _linear = nn.Linear(hidden, MseAdapterConfig.FusionSize, device: device);
        RegisterComponents();
    }

    /// <summary>Encodes [B, T, d] features with [B] true lengths into [B, 256].</summary>
    public override Tensor forward(Tensor features, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var cpuLengths = CheckedLengths(features, lengths);

        // Packing with the true lengths makes h_n the state after each sample's last real frame
        // (the padded run's output at len-1); unsorted batches are allowed, as in the official code.
        var packed = nn.utils.rnn.pack_padded_sequence(features, cpuLengths, batch_first: true, enforce_sorted: false);
        var (_, hN, _) = _rnn.call(packed);            // hN: (num_layers = 1, B, H), restored to batch order
        var last = hN.select(0, 0);                     // (B, H): select keeps the batch axis even when B = 1
        return _linear.call(_dropout.call(last)).MoveToOuterDisposeScope(); // (B, 256)
    }

    private Tensor CheckedLengths(Tensor features, Tensor lengths)
    {
        if (features.dim() != 3 || features.shape[2] != _featureDim)
        {
            throw new ArgumentException(
                $"The {_modality} features have shape [{string.Join(", ", features.shape)}]; expected [B, T, {_featureDim}] " +
                $"(batch, padded time, {_modality} feature width of this adapter's config).");
        }

        var batch = features.shape[0];
        var steps = features.shape[1];
        if (lengths.dim() != 1 || lengths.shape[0] != batch)
        {
            throw new ArgumentException(
                $"The {_modality} lengths have shape [{string.Join(", ", lengths.shape)}]; expected [{batch}], one length per sample of the {_modality} batch.");
        }

        if (lengths.is_floating_point() || lengths.dtype == ScalarType.Bool || lengths.is_complex())
        {
            throw new ArgumentException($"The {_modality} lengths have dtype {lengths.dtype}; use an integer tensor (int32 or int64).");
        }

        if (steps < 1)
        {
            throw new ArgumentException($"The {_modality} features have no time steps (shape [{string.Join(", ", features.shape)}]); pad every sample to at least one frame.");
        }

        // MMSA's get_lengths convention: an empty sequence still counts as one frame.
        var cpu = lengths.to(ScalarType.Int64, CPU).clamp_min(OneFrame);
        var values = cpu.data<long>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > steps)
            {
                throw new ArgumentException(
                    $"The {_modality} length of sample {i} is {values[i]}, but the padded {_modality} tensor has only {steps} time steps " +
                    $"(shape [{string.Join(", ", features.shape)}]); a length may not exceed T.");
            }
        }

        return cpu;
    }
}
