using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

public sealed class HfJsonTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-hfjson-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string TrainedFile()
    {
        var path = Path.Combine(_dir, "tokenizer.json");
        BpeTokenizerTrainer.TrainToFile(TinyCorpus.Lines, 330, path);
        return path;
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsNamingTheFile()
    {
        var path = Path.Combine(_dir, "nope", "tokenizer.json");
        var ex = Assert.Throws<FileNotFoundException>(() => new HfJsonTokenizer(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidJson_ThrowsNamingTheFile()
    {
        var path = Write("broken.json", "{\"model\": {\"type\": \"BPE\", ");
        var ex = Assert.Throws<InvalidDataException>(() => new HfJsonTokenizer(path));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ConfigInsteadOfTokenizer_SaysWhichFileToPass()
    {
        var path = Write("tokenizer_config.json", "{\"bos_token\": \"<s>\", \"model_max_length\": 4096}");
        var ex = Assert.Throws<InvalidDataException>(() => new HfJsonTokenizer(path));
        Assert.Contains("\"model\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownModelType_ThrowsNamingTheType()
    {
        var path = Write("odd.json", "{\"model\": {\"type\": \"CharCNN\", \"vocab\": {\"a\": 0}}}");
        var ex = Assert.Throws<InvalidDataException>(() => new HfJsonTokenizer(path));
        Assert.Contains("CharCNN", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TrainedFile_LeavesNoTemporaryCopyBehind()
    {
        var path = TrainedFile();
        var before = Directory.GetFiles(Path.GetTempPath(), "mselab-tokenizer-*.json").ToHashSet();
        using (var tokenizer = new HfJsonTokenizer(path))
        {
            Assert.NotEmpty(tokenizer.Encode("the", addSpecialTokens: false));
        }

        var after = Directory.GetFiles(Path.GetTempPath(), "mselab-tokenizer-*.json");
        Assert.DoesNotContain(after, f => !before.Contains(f));
    }

    [Fact]
    public void TokenToId_KnownAndUnknownTokens_ResolveOrThrowNamingTheToken()
    {
        using var tokenizer = new HfJsonTokenizer(TrainedFile());
        Assert.Equal(0, tokenizer.TokenToId("<unk>"));
        Assert.Equal(1, tokenizer.TokenToId("<s>"));
        Assert.Equal(2, tokenizer.TokenToId("</s>"));
        Assert.Equal(3 + 0x41, tokenizer.TokenToId("<0x41>"));
        Assert.True(tokenizer.TryTokenToId("7", out var seven) && seven >= BpeTokenizerTrainer.FirstLearnedId);
        Assert.False(tokenizer.TryTokenToId("<|im_start|>", out _));
        var ex = Assert.Throws<KeyNotFoundException>(() => tokenizer.TokenToId("<|im_start|>"));
        Assert.Contains("<|im_start|>", ex.Message, StringComparison.Ordinal);
        Assert.Equal(330, tokenizer.VocabSize);
    }

    [Fact]
    public void VocabSize_AddedTokenBeyondTheModelVocab_CountsIt()
    {
        var path = Write("wordlevel.json", """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 5, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
             "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "hello": 1, "world": 2}, "unk_token": "[UNK]"}}
            """);
        using var tokenizer = new HfJsonTokenizer(path);
        Assert.Equal(6, tokenizer.VocabSize);
        Assert.Equal(5, tokenizer.TokenToId("[PAD]"));
        // No post-processor: both modes are the same tokenizer, and Decode drops the special [PAD].
        Assert.Equal([1, 2], tokenizer.Encode("hello world", addSpecialTokens: true));
        Assert.Equal([1, 2], tokenizer.Encode("hello world", addSpecialTokens: false));
        Assert.Equal("hello world", tokenizer.Decode([5, 1, 2]));
    }

    [Fact]
    public void Decode_SpecialTokensAndEmptyInput_AreSkipped()
    {
        using var tokenizer = new HfJsonTokenizer(TrainedFile());
        var ids = tokenizer.Encode("the movie", addSpecialTokens: false);
        Assert.Equal("the movie", tokenizer.Decode([1, 1, .. ids, 2, 0]));
        Assert.Equal("", tokenizer.Decode([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([-1]));
    }

    [Fact]
    public void Encode_AfterDispose_Throws()
    {
        var tokenizer = new HfJsonTokenizer(TrainedFile());
        tokenizer.Dispose();
        tokenizer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tokenizer.Encode("x", addSpecialTokens: true));
    }
}
