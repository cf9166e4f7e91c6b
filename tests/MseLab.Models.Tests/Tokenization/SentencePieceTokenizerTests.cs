using System.Text.Json.Nodes;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>
/// ChatGLM3's and LLaMA's tokenizer.model readers against python3-sentencepiece on models it trains itself, one per
/// combination of the normalizer flags a model can store.
/// </summary>
public sealed class SentencePieceTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-sp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Flags => new()
    {
        "nmt_nfkc",
        "identity",
        "identity_keep_whitespace",
        "nmt_nfkc_no_dummy_prefix",
        "identity_no_dummy_prefix_keep_whitespace",
        "chatglm3_like",
        "nmt_nfkc_byte_fallback",
        "whitespace_as_suffix",
        "nfkc_cf",
    };

    private static JsonObject Options(string flags)
    {
        var options = new JsonObject { ["vocab_size"] = 420, ["character_coverage"] = 1.0 };
        void Set(string key, JsonNode value) => options[key] = value;
        switch (flags)
        {
            case "identity": Set("normalization_rule_name", "identity"); break;
            case "identity_keep_whitespace":
                Set("normalization_rule_name", "identity"); Set("remove_extra_whitespaces", false); break;
            case "nmt_nfkc_no_dummy_prefix": Set("add_dummy_prefix", false); break;
            case "identity_no_dummy_prefix_keep_whitespace":
                Set("normalization_rule_name", "identity"); Set("add_dummy_prefix", false); Set("remove_extra_whitespaces", false); break;
            case "chatglm3_like":
                Set("normalization_rule_name", "identity"); Set("remove_extra_whitespaces", false);
                Set("byte_fallback", true); Set("split_digits", true); Set("character_coverage", 0.9995); break;
            case "nmt_nfkc_byte_fallback": Set("byte_fallback", true); Set("character_coverage", 0.9995); break;
            case "whitespace_as_suffix": Set("treat_whitespace_as_suffix", true); break;
            case "nfkc_cf": Set("normalization_rule_name", "nmt_nfkc_cf"); break;
            default: break;
        }

        return options;
    }

    private string TrainReference(string flags)
    {
        var path = Path.Combine(_dir, $"{flags}.model");
        SentencePieceReference.Train(path, TokenizerTexts.Corpus.Concat(TokenizerTexts.Corpus), Options(flags));
        return path;
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void ChatGlm3Encode_ModelTrainedBySentencePiece_EqualsSentencePieceAfterThePrefix(string flags)
    {
        var path = TrainReference(flags);
        var (expected, pieceCount) = SentencePieceReference.Encode(path, TokenizerTexts.Probes);
        using var tokenizer = new ChatGlm3Tokenizer(path);

        for (var i = 0; i < TokenizerTexts.Probes.Count; i++)
        {
            var text = TokenizerTexts.Probes[i];
            Assert.True(expected[i].SequenceEqual(tokenizer.Encode(text, addSpecialTokens: false)),
                $"{flags}: \"{text}\" gives [{string.Join(",", tokenizer.Encode(text, false))}], SentencePiece [{string.Join(",", expected[i])}]");
            Assert.Equal([pieceCount + 1, pieceCount + 3, .. expected[i]], tokenizer.Encode(text, addSpecialTokens: true));
        }
    }

    /// <summary>
    /// Flags the trainer cannot set (escape_whitespaces) and other combinations, written into a SentencePiece-trained
    /// model by MseLab's writer (charsmap kept): SentencePiece loads the rewritten file and both encode alike.
    /// </summary>
    [Theory]
    [InlineData("nmt_nfkc", false, true, true)]
    [InlineData("nmt_nfkc", false, false, false)]
    [InlineData("identity", true, false, true)]
    [InlineData("chatglm3_like", true, true, true)]
    [InlineData("chatglm3_like", false, true, false)]
    public void Encode_FlagsRewrittenByMseLab_EqualsSentencePiece(string trainedWith, bool escapeWhitespaces, bool addDummyPrefix, bool removeExtraWhitespaces)
    {
        var model = SentencePieceModelFile.Read(TrainReference(trainedWith)) with
        {
            EscapeWhitespaces = escapeWhitespaces,
            AddDummyPrefix = addDummyPrefix,
            RemoveExtraWhitespaces = removeExtraWhitespaces,
        };
        var path = Path.Combine(_dir, "rewritten.model");
        File.WriteAllBytes(path, model.ToBytes());
        var (expected, pieceCount) = SentencePieceReference.Encode(path, TokenizerTexts.Probes);
        using var tokenizer = new ChatGlm3Tokenizer(path);

        Assert.Equal(model.Pieces.Count, pieceCount);
        for (var i = 0; i < TokenizerTexts.Probes.Count; i++)
        {
            var actual = tokenizer.Encode(TokenizerTexts.Probes[i], addSpecialTokens: false);
            Assert.True(expected[i].SequenceEqual(actual), $"\"{TokenizerTexts.Probes[i]}\" gives [{string.Join(",", actual)}], SentencePiece [{string.Join(",", expected[i])}]");
        }
    }

    [Fact]
    public void ChatGlm3_Specials_NumberedAfterThePiecesAndNotRecognisedInText()
    {
        var path = TrainReference("chatglm3_like");
        var (expected, pieceCount) = SentencePieceReference.Encode(path, ["<|user|>", "[gMASK]sop"]);
        using var tokenizer = new ChatGlm3Tokenizer(path);

        Assert.Equal(pieceCount + 9, tokenizer.VocabSize);
        for (var i = 0; i < ChatGlm3Tokenizer.SpecialTokens.Count; i++)
        {
            Assert.Equal(pieceCount + i, tokenizer.TokenToId(ChatGlm3Tokenizer.SpecialTokens[i]));
        }

        Assert.Equal(pieceCount + 1, tokenizer.GMaskId);
        Assert.Equal(pieceCount + 3, tokenizer.SopId);
        Assert.Equal(expected[0], tokenizer.Encode("<|user|>", addSpecialTokens: false));
        Assert.Equal(expected[1], tokenizer.Encode("[gMASK]sop", addSpecialTokens: false));
        Assert.DoesNotContain(pieceCount + 6, tokenizer.Encode("<|user|>", addSpecialTokens: true));
        Assert.Equal(0, tokenizer.TokenToId("<unk>"));
        Assert.Throws<KeyNotFoundException>(() => tokenizer.TokenToId("<|nope|>"));
    }

    [Fact]
    public void ChatGlm3Decode_EncodedText_SkipsSpecialsAndRoundTrips()
    {
        var path = TrainReference("chatglm3_like");
        using var tokenizer = new ChatGlm3Tokenizer(path);
        foreach (var text in new[] { "the movie was great", "你好，世界 😀 情", "a  b\tc\nd 12345 " })
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text, addSpecialTokens: true)));
        }

        Assert.Equal("hi", tokenizer.Decode([tokenizer.TokenToId("<|user|>"), .. tokenizer.Encode("hi", false), tokenizer.TokenToId("eop")]));
    }

    [Fact]
    public void LlamaTokenizerModel_EncodeWithSpecials_AddsBosAndSplitsControlText()
    {
        var path = TrainReference("identity_keep_whitespace");
        var texts = new[] { "Hello world", "a <s> b</s>c", "<unk>" };
        var (expected, _) = SentencePieceReference.Encode(path, ["Hello world", "a ", " b", "c"]);
        using var tokenizer = new LlamaSentencePieceTokenizer(path);

        Assert.Equal([1, .. expected[0]], tokenizer.Encode(texts[0], addSpecialTokens: true));
        Assert.Equal(expected[0], tokenizer.Encode(texts[0], addSpecialTokens: false));
        Assert.Equal([.. expected[1], 1, .. expected[2], 2, .. expected[3]], tokenizer.Encode(texts[1], addSpecialTokens: false));
        Assert.Equal([1, 0], tokenizer.Encode(texts[2], addSpecialTokens: true));
        Assert.Equal(1, tokenizer.TokenToId("<s>"));
        Assert.Equal("Hello world", tokenizer.Decode(tokenizer.Encode("Hello world", addSpecialTokens: true)));
    }

    [Fact]
    public void Load_NotAModel_ErrorNamesTheFile()
    {
        var path = Path.Combine(_dir, "tokenizer.model");
        File.WriteAllText(path, "this is not a protobuf");
        var error = Assert.Throws<InvalidDataException>(() => new ChatGlm3Tokenizer(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
