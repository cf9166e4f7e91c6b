using System.Text.Json.Nodes;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

public sealed class BpeTokenizerTrainerTests : IDisposable
{
    private const int VocabSize = 420;
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-bpe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainToFile(int vocabSize = VocabSize)
    {
        var path = Path.Combine(_dir, $"tokenizer-{vocabSize}.json");
        BpeTokenizerTrainer.TrainToFile(TinyCorpus.Repeated(3), vocabSize, path);
        return path;
    }

    [Fact]
    public void Train_TinyCorpus_WritesTheLlama2Layout()
    {
        var json = BpeTokenizerTrainer.Train(TinyCorpus.Repeated(3), VocabSize);
        var root = JsonNode.Parse(json)!.AsObject();

        var model = root["model"]!.AsObject();
        Assert.Equal("BPE", (string?)model["type"]);
        Assert.True((bool)model["byte_fallback"]!);
        Assert.True((bool)model["fuse_unk"]!);
        Assert.Equal("<unk>", (string?)model["unk_token"]);
        var vocab = model["vocab"]!.AsObject();
        Assert.Equal(0, (int)vocab["<unk>"]!);
        Assert.Equal(1, (int)vocab["<s>"]!);
        Assert.Equal(2, (int)vocab["</s>"]!);
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal(3 + b, (int)vocab[$"<0x{b:X2}>"]!);
        }

        Assert.Equal(VocabSize, vocab.Count);
        Assert.Equal(Enumerable.Range(0, VocabSize), vocab.Select(e => (int)e.Value!).Order());
        foreach (var c in BpeTokenizerTrainer.RequiredCharacters)
        {
            Assert.True(vocab.ContainsKey(c), $"required piece \"{c}\" is missing");
        }

        var merges = model["merges"]!.AsArray().Select(m => (string)m!).ToArray();
        Assert.NotEmpty(merges);
        Assert.All(merges, m =>
        {
            var parts = m.Split(' ');
            Assert.Equal(2, parts.Length);
            Assert.True(vocab.ContainsKey(parts[0]) && vocab.ContainsKey(parts[1]) && vocab.ContainsKey(parts[0] + parts[1]), m);
        });
        Assert.Equal(merges.Length, merges.Distinct().Count());

        var normalizers = root["normalizer"]!["normalizers"]!.AsArray();
        Assert.Equal("Sequence", (string?)root["normalizer"]!["type"]);
        Assert.Equal("Prepend", (string?)normalizers[0]!["type"]);
        Assert.Equal("\u2581", (string?)normalizers[0]!["prepend"]);
        Assert.Equal("Replace", (string?)normalizers[1]!["type"]);
        Assert.Equal(" ", (string?)normalizers[1]!["pattern"]!["String"]);
        Assert.Equal("\u2581", (string?)normalizers[1]!["content"]);
        Assert.True(root.ContainsKey("pre_tokenizer"));
        Assert.Null(root["pre_tokenizer"]);

        var decoders = root["decoder"]!["decoders"]!.AsArray();
        Assert.Equal(["Replace", "ByteFallback", "Fuse", "Strip"], decoders.Select(d => (string)d!["type"]!));
        Assert.Equal("\u2581", (string?)decoders[0]!["pattern"]!["String"]);
        Assert.Equal(" ", (string?)decoders[0]!["content"]);
        Assert.Equal(" ", (string?)decoders[3]!["content"]);
        Assert.Equal(1, (int)decoders[3]!["start"]!);
        Assert.Equal(0, (int)decoders[3]!["stop"]!);

        var post = root["post_processor"]!;
        Assert.Equal("TemplateProcessing", (string?)post["type"]);
        Assert.Equal("<s>", (string?)post["single"]![0]!["SpecialToken"]!["id"]);
        Assert.Equal("A", (string?)post["single"]![1]!["Sequence"]!["id"]);
        Assert.Equal(1, (int)post["special_tokens"]!["<s>"]!["ids"]![0]!);

        var added = root["added_tokens"]!.AsArray();
        Assert.Equal(["<unk>", "<s>", "</s>"], added.Select(a => (string)a!["content"]!));
        Assert.Equal([0, 1, 2], added.Select(a => (int)a!["id"]!));
        Assert.All(added, a => Assert.True((bool)a!["special"]!));

        // Hugging Face writes the boundary mark as UTF-8, not as an escape.
        Assert.Contains("\"prepend\": \"\u2581\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameLinesInAnotherOrder_GivesTheSameFile()
    {
        var forward = BpeTokenizerTrainer.Train(TinyCorpus.Repeated(2), VocabSize);
        var backward = BpeTokenizerTrainer.Train(TinyCorpus.Repeated(2).Reverse(), VocabSize);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Train_VocabSizeBelowMinimum_ThrowsNamingTheMinimum()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(
            () => BpeTokenizerTrainer.Train(TinyCorpus.Lines, BpeTokenizerTrainer.MinimumVocabSize - 1));
        Assert.Contains(BpeTokenizerTrainer.MinimumVocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Train_EmptyCorpus_StillHasTheRequiredPieces()
    {
        var path = Path.Combine(_dir, "empty.json");
        BpeTokenizerTrainer.TrainToFile([], 300, path);
        using var tokenizer = new HfJsonTokenizer(path);
        Assert.Equal(BpeTokenizerTrainer.MinimumVocabSize, tokenizer.VocabSize);
        Assert.Equal("-1.2", tokenizer.Decode(tokenizer.Encode("-1.2", addSpecialTokens: true)));
    }

    [Fact]
    public void Encode_WrittenFile_AddsBosOnlyWithSpecialTokens()
    {
        using var tokenizer = new HfJsonTokenizer(TrainToFile());
        var with = tokenizer.Encode("the movie was great", addSpecialTokens: true);
        var without = tokenizer.Encode("the movie was great", addSpecialTokens: false);
        Assert.Equal(BpeTokenizerTrainer.BosId, with[0]);
        Assert.Equal(without, with[1..]);
        Assert.DoesNotContain(BpeTokenizerTrainer.BosId, without);
        Assert.Equal([BpeTokenizerTrainer.BosId], tokenizer.Encode("", addSpecialTokens: true));
        Assert.Empty(tokenizer.Encode("", addSpecialTokens: false));
    }

    [Theory]
    [InlineData("the movie was great")]
    [InlineData("情感为")]
    [InlineData("请对上述多模态内容的情感强度进行预测")]
    [InlineData("emoji 😀 and ünïcödé")]
    [InlineData("  leading and trailing  ")]
    [InlineData("-1.2")]
    [InlineData("+0.4 -0.0 3")]
    public void Decode_EncodedText_RoundTrips(string text)
    {
        using var tokenizer = new HfJsonTokenizer(TrainToFile());
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addSpecialTokens: true)));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addSpecialTokens: false)));
    }

    [Fact]
    public void Encode_UnseenChinese_FallsBackToUtf8Bytes()
    {
        using var tokenizer = new HfJsonTokenizer(TrainToFile());
        var ids = tokenizer.Encode("情感为", addSpecialTokens: false);
        // "▁" then 3 characters x 3 UTF-8 bytes, each a <0xXX> piece (ids 3..258).
        Assert.Equal(tokenizer.TokenToId("\u2581"), ids[0]);
        Assert.Equal(9, ids.Length - 1);
        Assert.All(ids[1..], id => Assert.InRange(id, 3, 258));
        Assert.Equal(tokenizer.TokenToId("<0xE6>"), ids[1]); // 情 is E6 83 85
    }

    [Theory]
    [InlineData("-1.2")]
    [InlineData("+0.4")]
    [InlineData("3")]
    [InlineData("-0.0")]
    public void Encode_LabelText_UsesCharacterPiecesNotBytes(string label)
    {
        using var tokenizer = new HfJsonTokenizer(TrainToFile(BpeTokenizerTrainer.MinimumVocabSize + 5));
        var ids = tokenizer.Encode(label, addSpecialTokens: false);
        Assert.All(ids, id => Assert.True(id >= BpeTokenizerTrainer.FirstLearnedId, $"{label} used byte or special id {id}"));
        Assert.Equal(label, tokenizer.Decode(ids));
    }

    [Fact]
    public void Encode_WrittenFile_MatchesTheIndependentPythonEncoder()
    {
        var path = TrainToFile();
        using var tokenizer = new HfJsonTokenizer(path);
        string[] texts =
        [
            "the movie was great and the actors were great",
            "The Sentiment Is -1.2",
            "情感为 -0.4",
            "我们喜欢这部电影, really",
            "hello</s>world <s> again",
            "  spaced   out ",
            "<0x41> literal",
            "wait..... 11111 zzzzzzz ooo.",
            "tabs\tand\nnew lines 😀",
            "Please recognize the emotion of the above multimodal content from the" + new string(' ', 45) + "target set",
            "",
        ];
        int[][] decodeInputs =
        [
            [1, 2, 0],
            [tokenizer.TokenToId("<0xE6>"), tokenizer.TokenToId("<0x83>")], // an incomplete UTF-8 sequence
            .. texts.Select(t => tokenizer.Encode(t, addSpecialTokens: true)),
        ];

        var request = new JsonObject
        {
            ["tokenizer"] = path,
            ["texts"] = new JsonArray([.. texts.Select(t => (JsonNode?)t)]),
            ["decode"] = new JsonArray([.. decodeInputs.Select(ids => (JsonNode?)new JsonArray([.. ids.Select(i => (JsonNode?)i)]))]),
        };
        var reference = Support.DebianPython.Run(Path.Combine("Tokenization", "python", "llama_bpe_reference.py"), request);

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(Ints(reference["with_special"]![i]!), tokenizer.Encode(texts[i], addSpecialTokens: true));
            Assert.Equal(Ints(reference["without_special"]![i]!), tokenizer.Encode(texts[i], addSpecialTokens: false));
        }

        for (var i = 0; i < decodeInputs.Length; i++)
        {
            Assert.Equal((string?)reference["decoded"]![i], tokenizer.Decode(decodeInputs[i]));
        }
    }

    private static int[] Ints(JsonNode node) => [.. node.AsArray().Select(n => (int)n!)];
}
