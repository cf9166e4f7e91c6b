using System.Text.Json.Nodes;
using MseLab.Models.Tests.Support;
using MseLab.Models.Tokenization;
using MseLab.Models.Tokenization.Unicode;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>Qwen-1's tokenizer on a trained tiny qwen.tiktoken against a plain-Python tiktoken merge loop.</summary>
public sealed class QwenTokenizerTests : IDisposable
{
    private const int Ranks = 600;
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-qwen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Train()
    {
        var path = Path.Combine(_dir, QwenTiktokenFile.FileName);
        QwenTiktokenTrainer.TrainToFile(Enumerable.Repeat(TokenizerTexts.Corpus, 3).SelectMany(t => t), Ranks, path);
        return path;
    }

    [Fact]
    public void Train_TinyCorpus_WritesSingleBytesInGpt2OrderThenMerges()
    {
        var tokens = QwenTiktokenFile.Read(Train());

        Assert.Equal(Ranks, tokens.Length);
        Assert.Equal(Enumerable.Range(0, 256).Select(b => (byte)b).Order(), tokens.Take(256).Select(t => Assert.Single(t)).Order());
        Assert.Equal((byte)'!', tokens[0][0]);
        Assert.Equal((byte)'~', tokens[93][0]);
        Assert.Equal(0xA1, tokens[94][0]);
        Assert.Equal(0x00, tokens[188][0]);
        Assert.Equal((byte)' ', tokens[220][0]); // Qwen's id of " "
        Assert.All(tokens.Skip(256), t => Assert.True(t.Length > 1));
        Assert.Equal(tokens.Length, tokens.Select(Convert.ToBase64String).Distinct().Count());
    }

    [Fact]
    public void Encode_TrainedFile_EqualsTiktokenMergeLoop()
    {
        var path = Train();
        using var tokenizer = new QwenTokenizer(path);
        string[] texts =
        [
            .. TokenizerTexts.Probes.Where(t => !t.Contains("<|", StringComparison.Ordinal)),
            new string('a', 1200), string.Concat(Enumerable.Repeat("the movie ", 150)), string.Concat(Enumerable.Repeat("电影", 300)),
        ];
        var words = new JsonArray([.. texts.Select(t => new JsonArray([.. QwenPreTokenizer.Split(UnicodeNfc.Normalize(t)).Select(w => JsonValue.Create(w))]))]);
        var reference = DebianPython.Run("Tokenization/python/tiktoken_reference.py", new JsonObject { ["path"] = path, ["words"] = words });

        Assert.Equal(Ranks, (int)reference["ranks"]!);
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = reference["ids"]![i]!.AsArray().Select(id => (int)id!).ToArray();
            Assert.True(expected.SequenceEqual(tokenizer.Encode(texts[i], addSpecialTokens: true)),
                $"\"{texts[i]}\": [{string.Join(",", tokenizer.Encode(texts[i], true))}], tiktoken [{string.Join(",", expected)}]");
        }
    }

    [Fact]
    public void Encode_SpecialTokenText_BecomesSpecialIdsNumberedAfterTheRanks()
    {
        using var tokenizer = new QwenTokenizer(Train());

        Assert.Equal(Ranks + 208, tokenizer.VocabSize);
        Assert.Equal(Ranks, tokenizer.EndOfTextId);
        Assert.Equal(Ranks, tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal(Ranks + 1, tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(Ranks + 2, tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal(Ranks + 3, tokenizer.TokenToId("<|extra_0|>"));
        Assert.Equal(Ranks + 207, tokenizer.TokenToId("<|extra_204|>"));
        Assert.False(tokenizer.TryTokenToId("<|extra_205|>", out _));

        var hi = tokenizer.Encode("hi", addSpecialTokens: false);
        Assert.Equal([.. hi, Ranks + 1, .. hi, Ranks], tokenizer.Encode("hi<|im_start|>hi<|endoftext|>", addSpecialTokens: false));
        Assert.Equal(Ranks + 2, tokenizer.Encode("<|<|im_end|>", true)[^1]);
        Assert.DoesNotContain(Ranks + 208, tokenizer.Encode("<|extra_205|>", addSpecialTokens: true));
        Assert.Equal(tokenizer.Encode("x<|im_end|>", addSpecialTokens: false), tokenizer.Encode("x<|im_end|>", addSpecialTokens: true));
    }

    [Fact]
    public void Encode_DecomposedText_IsNfcNormalisedFirst()
    {
        using var tokenizer = new QwenTokenizer(Train());
        Assert.Equal(tokenizer.Encode("caf\u00e9", false), tokenizer.Encode("cafe\u0301", false));
    }

    [Fact]
    public void Decode_Ids_SkipsSpecialsAndReplacesBrokenUtf8()
    {
        using var tokenizer = new QwenTokenizer(Train());
        foreach (var text in TokenizerTexts.Probes.Where(t => !t.Contains("<|", StringComparison.Ordinal)))
        {
            Assert.Equal(UnicodeNfc.Normalize(text), tokenizer.Decode(tokenizer.Encode(text, true)));
        }

        Assert.Equal("ab", tokenizer.Decode([.. tokenizer.Encode("a", true), tokenizer.EndOfTextId, .. tokenizer.Encode("b", true), 1_000_000]));
        var firstByteOfHan = tokenizer.Encode("情", true)[0];
        Assert.Equal("\uFFFD", tokenizer.Decode([firstByteOfHan]));
    }

    [Fact]
    public void TokenToId_ByteLevelName_IsTheRankOfThoseBytes()
    {
        using var tokenizer = new QwenTokenizer(Train());
        Assert.Equal(220, tokenizer.TokenToId("Ġ"));
        Assert.Equal(0, tokenizer.TokenToId("!"));
        Assert.Equal(tokenizer.Encode(" the", false).Single(), tokenizer.TokenToId("Ġthe"));
        Assert.Throws<KeyNotFoundException>(() => tokenizer.TokenToId("<|nope|>"));
    }

    [Fact]
    public void Load_BadLine_ErrorNamesFileAndLine()
    {
        var path = Path.Combine(_dir, QwenTiktokenFile.FileName);
        File.WriteAllText(path, "IQ== 0\nnot-base64! 1\n");
        var error = Assert.Throws<InvalidDataException>(() => new QwenTokenizer(path));
        Assert.Contains($"'{path}' line 2", error.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "IQ== 0\nIg== 2\n");
        Assert.Contains("not 0..1", Assert.Throws<InvalidDataException>(() => new QwenTokenizer(path)).Message, StringComparison.Ordinal);
    }
}
