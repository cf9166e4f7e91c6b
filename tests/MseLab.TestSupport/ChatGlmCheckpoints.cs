using System.Text.Json;
using MseLab.Models.ChatGlm;
using MseLab.Models.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.TestSupport;

/// <summary>
/// Writes small random ChatGLM3 checkpoints in THUDM's layout: config.json with the real keys and auto_map, and
/// safetensors (single or two shards + index) holding the parameters plus the persistent
/// <c>transformer.rotary_pos_emb.inv_freq</c> buffer that real checkpoints carry.
/// </summary>
public static class ChatGlmCheckpoints
{
    /// <summary>auto_map of THUDM/chatglm3-6b-base's config.json.</summary>
    public static IReadOnlyDictionary<string, string> RealAutoMap { get; } = new Dictionary<string, string>
    {
        ["AutoConfig"] = "configuration_chatglm.ChatGLMConfig",
        ["AutoModel"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForCausalLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForSeq2SeqLM"] = "modeling_chatglm.ChatGLMForConditionalGeneration",
        ["AutoModelForSequenceClassification"] = "modeling_chatglm.ChatGLMForSequenceClassification",
    };

    /// <summary>
    /// A 2-layer ChatGLM3 with the real model's switches (multi-query attention with 2 groups, qkv bias only, RMSNorm,
    /// final layernorm, layer scaling): hidden 32, 4 heads, kv_channels 8, ffn 40, padded vocab 101, seq_length 64.
    /// </summary>
    public static ChatGlmConfig SmallConfig() => new()
    {
        Architectures = ["ChatGLMModel"],
        ModelType = "chatglm",
        AutoMap = RealAutoMap,
        NumLayers = 2,
        HiddenSize = 32,
        FfnHiddenSize = 40,
        KvChannels = 8,
        NumAttentionHeads = 4,
        MultiQueryAttention = true,
        MultiQueryGroupNum = 2,
        PaddedVocabSize = 101,
        VocabSize = 101,
        SeqLength = 64,
        LayernormEpsilon = 1e-5,
        RmsNorm = true,
        ApplyResidualConnectionPostLayernorm = false,
        PostLayerNorm = true,
        AddBiasLinear = false,
        AddQkvBias = true,
        ApplyQueryKeyLayerScaling = true,
        AttentionSoftmaxInFp32 = true,
        Fp32ResidualConnection = false,
        OriginalRope = true,
        EosTokenId = JsonSerializer.SerializeToElement(2),
        PadTokenId = 0,
        TorchDtype = "float32",
    };

    /// <summary>
    /// Writes a random model of <paramref name="config"/> to <paramref name="directory"/> with weights stored as
    /// <paramref name="storedType"/>; config.json's torch_dtype names that type, as save_pretrained writes it.
    /// </summary>
    public static string Write(string directory, ChatGlmConfig config, ScalarType storedType = ScalarType.Float32, int seed = 7, bool sharded = false)
    {
        Directory.CreateDirectory(directory);
        manual_seed(seed);
        using var model = new ChatGlmForCausalLM(config);
        using (no_grad())
        {
            // Spread norm weights and biases so that a wrong norm, a missing bias or a swapped residual shows in the logits.
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.EndsWith("layernorm.weight", StringComparison.Ordinal))
                {
                    parameter.uniform_(0.5, 1.5);
                }
                else if (name.EndsWith(".bias", StringComparison.Ordinal))
                {
                    parameter.uniform_(-0.3, 0.3);
                }
            }
        }

        (config with { TorchDtype = TypeName(storedType) }).Save(Path.Combine(directory, "config.json"));
        using var scope = NewDisposeScope();
        var state = model.named_parameters().Select(p => (Name: p.name, Value: p.parameter.detach().to(storedType).contiguous())).ToList();
        state.Insert(0, (ChatGlmLoader.InvFreqName, InvFreq(config, storedType)));
        if (!sharded)
        {
            Safetensors.SaveStateDict(Path.Combine(directory, HfCheckpoint.SingleFile), state.ToDictionary(p => p.Name, p => p.Value));
            return directory;
        }

        // Two shards plus an index, as HF writes large models.
        var half = state.Count / 2;
        var shards = new[] { state[..half], state[half..] };
        var weightMap = new Dictionary<string, string>();
        for (var i = 0; i < shards.Length; i++)
        {
            var file = $"model-{i + 1:00000}-of-{shards.Length:00000}.safetensors";
            Safetensors.SaveStateDict(Path.Combine(directory, file), shards[i].ToDictionary(p => p.Name, p => p.Value));
            foreach (var (name, _) in shards[i])
            {
                weightMap[name] = file;
            }
        }

        File.WriteAllText(Path.Combine(directory, HfCheckpoint.IndexFile), JsonSerializer.Serialize(new { metadata = new { }, weight_map = weightMap }));
        return directory;
    }

    /// <summary>The remote RotaryEmbedding's buffer: 1 / 10000^(arange(0, d/2, 2) / (d/2)), d = kv_channels.</summary>
    private static Tensor InvFreq(ChatGlmConfig config, ScalarType storedType)
    {
        var dim = config.KvChannels / 2;
        var values = Enumerable.Range(0, (dim + 1) / 2).Select(i => (float)(1.0 / Math.Pow(10000.0, 2.0 * i / dim))).ToArray();
        return tensor(values).to(storedType);
    }

    private static string TypeName(ScalarType type) => type switch
    {
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float32 => "float32",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "ChatGLM3 checkpoints are stored as float32, float16 or bfloat16."),
    };
}
