using System.Text.Json;
using System.Text.Json.Nodes;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Models.Tokenization;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Backbone;

/// <summary>
/// mselab backbone tokenize for the three families, against python3-sentencepiece (LLaMA's and ChatGLM3's
/// tokenizer.model) and a plain-Python tiktoken merge loop (Qwen-1's qwen.tiktoken).
/// </summary>
public sealed class BackboneTokenizeTests : IDisposable
{
    private const string Text = "Hi <|user|> the movie was great, 你好 12345!\n  spaced  ";
    private static readonly string[] Corpus =
    [
        "the movie was great and the actors were great", "我们喜欢这部电影 你好", "numbers 12345 and 3.5", "tabs\tand\nnew lines",
        "<|user|> said hi to the <|assistant|>", "Hi there, the sentiment is -1.2", "emoji 😀 and spaced   words",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-tokenize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ModelFolder(string name, string modelType)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject { ["model_type"] = modelType }.ToJsonString());
        return folder;
    }

    private static JsonNode Python(string script, JsonObject request)
    {
        var run = ChildProcess.Run(ChildProcess.Python, [Path.Combine(AppContext.BaseDirectory, "Reference", script)], request.ToJsonString());
        Assert.True(run.ExitCode == 0, run.StandardError);
        return JsonNode.Parse(run.StandardOutput)!;
    }

    private static (int[] Ids, int PieceCount) TrainSentencePiece(string path, JsonObject options, string text)
    {
        var result = Python("sentencepiece_reference.py", new JsonObject
        {
            ["train"] = new JsonArray(new JsonObject
            {
                ["path"] = path,
                ["corpus"] = new JsonArray([.. Corpus.Concat(Corpus).Select(t => JsonValue.Create(t))]),
                ["options"] = options,
            }),
            ["encode"] = new JsonArray(new JsonObject { ["path"] = path, ["texts"] = new JsonArray(text) }),
        });
        return ([.. result["ids"]![0]![0]!.AsArray().Select(id => (int)id!)], (int)result["vocab_size"]![0]!);
    }

    private static int[] Tokenize(string model, string text)
    {
        var run = ProcessRunner.Mselab("backbone", "tokenize", "--model", model, "--text", text, "--json");
        Assert.True(run.ExitCode == 0, run.StandardError);
        return JsonSerializer.Deserialize<JsonObject>(run.StandardOutput)!["ids"]!.AsArray().Select(id => (int)id!).ToArray();
    }

    [Fact]
    public void Tokenize_ChatGlm3Folder_PrefixesGMaskSopAndKeepsRoleStringsAsText()
    {
        var model = ModelFolder("chatglm3", "chatglm");
        var (pieces, n) = TrainSentencePiece(Path.Combine(model, "tokenizer.model"), new JsonObject
        {
            ["vocab_size"] = 380, ["normalization_rule_name"] = "identity", ["remove_extra_whitespaces"] = false,
            ["byte_fallback"] = true, ["split_digits"] = true, ["character_coverage"] = 0.9995,
        }, Text);

        Assert.Equal([n + 1, n + 3, .. pieces], Tokenize(model, Text));
        Assert.DoesNotContain(n + 6, Tokenize(model, Text)); // <|user|> stays text
    }

    [Fact]
    public void Tokenize_LlamaFolderWithTokenizerModelOnly_AddsBosToSentencePiece()
    {
        var model = ModelFolder("llama-sp", "llama");
        var (pieces, _) = TrainSentencePiece(Path.Combine(model, "tokenizer.model"), new JsonObject
        {
            ["vocab_size"] = 380, ["normalization_rule_name"] = "identity", ["remove_extra_whitespaces"] = false,
            ["byte_fallback"] = true, ["character_coverage"] = 0.9995
        }, Text);

        Assert.Equal([1, .. pieces], Tokenize(model, Text));
    }

    [Fact]
    public void Tokenize_LlamaFolderWithTokenizerJson_UsesIt()
    {
        var model = ModelFolder("llama-json", "llama");
        BpeTokenizerTrainer.TrainToFile(Corpus.Concat(Corpus), 320, Path.Combine(model, "tokenizer.json"));
        using var expected = new HfJsonTokenizer(Path.Combine(model, "tokenizer.json"));

        var ids = Tokenize(model, Text);
        Assert.Equal(1, ids[0]);
        Assert.Equal(expected.Encode(Text, addSpecialTokens: true), ids);
    }

    [Fact]
    public void Tokenize_QwenFolder_NoBosAndSpecialTextRecognised()
    {
        var model = ModelFolder("qwen", "qwen");
        var path = Path.Combine(model, "qwen.tiktoken");
        QwenTiktokenTrainer.TrainToFile(Corpus.Concat(Corpus), 400, path);
        var ranks = QwenTiktokenFile.Read(path).Length;
        const string plain = "Hi the movie was great, 你好 12345!\n  spaced  ";
        var words = new JsonArray(new JsonArray([.. QwenPreTokenizer.Split(plain).Select(w => JsonValue.Create(w))]));
        var reference = Python("tiktoken_reference.py", new JsonObject { ["path"] = path, ["words"] = words });
        var expected = reference["ids"]![0]!.AsArray().Select(id => (int)id!).ToArray();

        Assert.Equal(expected, Tokenize(model, plain));
        var withSpecial = Tokenize(model, "<|im_start|>" + plain + "<|endoftext|>");
        Assert.Equal([ranks + 1, .. expected, ranks], withSpecial);
    }

    [Fact]
    public void Tokenize_FolderWithoutTokenizerFile_FailsNamingTheFile()
    {
        var model = ModelFolder("empty-qwen", "qwen");
        var run = ProcessRunner.Mselab("backbone", "tokenize", "--model", model, "--text", "hi", "--json");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("qwen.tiktoken", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_Help_DescribesTheOptions()
    {
        var branch = ProcessRunner.Mselab("backbone", "--help");
        Assert.True(branch.ExitCode == 0, branch.StandardError);
        Assert.Contains("tokenize", branch.StandardOutput, StringComparison.Ordinal);

        var run = ProcessRunner.Mselab("backbone", "tokenize", "--help");
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Contains("--model", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--text", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--json", run.StandardOutput, StringComparison.Ordinal);
    }
}
