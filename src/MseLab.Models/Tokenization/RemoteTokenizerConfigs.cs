using System.Text.Json.Nodes;

namespace MseLab.Models.Tokenization;

/// <summary>
/// The <c>tokenizer_config.json</c> the real Qwen-1 and ChatGLM3 repositories carry: their tokenizer classes are remote
/// code named through <c>auto_map</c>, so Hugging Face loads a tiny MseLab folder the way it loads the real one.
/// </summary>
public static class RemoteTokenizerConfigs
{
    /// <summary>Qwen/Qwen-1_8B: <c>QWenTokenizer</c> from <c>tokenization_qwen.py</c>.</summary>
    public static JsonObject Qwen() => new()
    {
        ["model_max_length"] = 8192,
        ["tokenizer_class"] = "QWenTokenizer",
        ["auto_map"] = new JsonObject
        {
            ["AutoTokenizer"] = new JsonArray("tokenization_qwen.QWenTokenizer", null),
        },
    };

    /// <summary>THUDM/chatglm3-6b-base: <c>ChatGLMTokenizer</c> from <c>tokenization_chatglm.py</c>.</summary>
    public static JsonObject ChatGlm3() => new()
    {
        ["name_or_path"] = "THUDM/chatglm3-6b-base",
        ["remove_space"] = false,
        ["do_lower_case"] = false,
        ["tokenizer_class"] = "ChatGLMTokenizer",
        ["auto_map"] = new JsonObject
        {
            ["AutoTokenizer"] = new JsonArray("tokenization_chatglm.ChatGLMTokenizer", null),
        },
    };

    /// <summary>Writes <paramref name="config"/> to <c>DIR/tokenizer_config.json</c>.</summary>
    public static void Write(string directory, JsonObject config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(config);
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), config.ToJsonString(new() { WriteIndented = true }) + "\n");
    }
}
