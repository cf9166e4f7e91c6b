using MseLab.Models.ChatGlm;
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
    public static IReadOnlyDictionary<string, string> RealAutoMap => ChatGlmConfig.RealAutoMap;

    /// <summary>
    /// A 2-layer ChatGLM3 with the real model's switches (multi-query attention with 2 groups, qkv bias only, RMSNorm,
    /// final layernorm, layer scaling): hidden 32, 4 heads, kv_channels 8, ffn 40, padded vocab 101, seq_length 64.
    /// </summary>
    public static ChatGlmConfig SmallConfig() =>
        ChatGlmConfig.Chatglm3Like(layers: 2, hidden: 32, ffn: 40, kvChannels: 8, heads: 4, groups: 2, paddedVocab: 101, seqLength: 64);

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

        return CheckpointWriter.Write(
            directory,
            (config with { TorchDtype = TypeName(storedType) }).Save,
            () => CheckpointWriter.Parameters(model, storedType).Prepend((ChatGlmLoader.InvFreqName, InvFreq(config, storedType))),
            sharded);
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
