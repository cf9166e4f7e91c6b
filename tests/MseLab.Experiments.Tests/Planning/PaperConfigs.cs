namespace MseLab.Experiments.Tests.Planning;

/// <summary>
/// The sizes of the paper's three checkpoints as their Hugging Face config.json files give them (meta-llama/Llama-2-7b-hf,
/// Qwen/Qwen-1_8B, THUDM/chatglm3-6b-base), written into temporary model folders.
/// </summary>
internal static class PaperConfigs
{
    public const string Llama2_7B = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "hidden_size": 4096,
         "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "max_position_embeddings": 4096, "rms_norm_eps": 1e-05, "tie_word_embeddings": false, "torch_dtype": "float16"}
        """;

    public const string Qwen1_8B = """
        {"architectures": ["QWenLMHeadModel"], "model_type": "qwen", "vocab_size": 151936, "hidden_size": 2048,
         "intermediate_size": 11008, "num_hidden_layers": 24, "num_attention_heads": 16, "kv_channels": 128,
         "seq_length": 8192, "layer_norm_epsilon": 1e-06, "no_bias": true, "tie_word_embeddings": false, "bf16": true}
        """;

    public const string ChatGlm3_6B = """
        {"architectures": ["ChatGLMModel"], "model_type": "chatglm", "num_layers": 28, "hidden_size": 4096,
         "ffn_hidden_size": 13696, "kv_channels": 128, "num_attention_heads": 32, "multi_query_attention": true,
         "multi_query_group_num": 2, "padded_vocab_size": 65024, "seq_length": 32768, "add_bias_linear": false,
         "add_qkv_bias": true, "rmsnorm": true, "torch_dtype": "float16"}
        """;

    /// <summary>A temporary model folder holding <paramref name="config"/> as its config.json.</summary>
    public static TempModel Write(string config) => new(config);

    internal sealed class TempModel : IDisposable
    {
        public TempModel(string config)
        {
            Path = Directory.CreateTempSubdirectory("mselab-plan-").FullName;
            File.WriteAllText(System.IO.Path.Combine(Path, "config.json"), config);
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
