using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>BackboneLoader.LoadTokenizer picks each family's tokenizer file.</summary>
public sealed class LoadTokenizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-load-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    [Fact]
    public void LoadTokenizer_EachFamily_ReadsItsFile()
    {
        var qwen = Folder("qwen");
        QwenTiktokenTrainer.TrainToFile(TinyCorpus.Lines, 300, Path.Combine(qwen, "qwen.tiktoken"));
        var chatglm = Folder("chatglm3");
        SentencePieceBpeTrainer.TrainToFile(TinyCorpus.Lines, 300, Path.Combine(chatglm, "tokenizer.model"));
        var llamaModel = Folder("llama-model");
        SentencePieceBpeTrainer.TrainToFile(TinyCorpus.Lines, 300, Path.Combine(llamaModel, "tokenizer.model"));
        var llamaJson = Folder("llama-json");
        BpeTokenizerTrainer.TrainToFile(TinyCorpus.Lines, 300, Path.Combine(llamaJson, "tokenizer.json"));
        File.Copy(Path.Combine(llamaModel, "tokenizer.model"), Path.Combine(llamaJson, "tokenizer.model"));

        using var q = BackboneLoader.LoadTokenizer(qwen, BackboneFamily.Qwen1);
        using var c = BackboneLoader.LoadTokenizer(chatglm, BackboneFamily.ChatGLM3);
        using var m = BackboneLoader.LoadTokenizer(llamaModel, BackboneFamily.Llama2);
        using var j = BackboneLoader.LoadTokenizer(llamaJson, BackboneFamily.Llama2);

        Assert.IsType<QwenTokenizer>(q);
        Assert.IsType<ChatGlm3Tokenizer>(c);
        Assert.IsType<LlamaSentencePieceTokenizer>(m);
        Assert.IsType<HfJsonTokenizer>(j);
        Assert.Equal(1, m.Encode("hi", addSpecialTokens: true)[0]);
        Assert.Equal(1, j.Encode("hi", addSpecialTokens: true)[0]);
    }

    [Theory]
    [InlineData(BackboneFamily.Qwen1, "qwen.tiktoken")]
    [InlineData(BackboneFamily.ChatGLM3, "tokenizer.model")]
    [InlineData(BackboneFamily.Llama2, "tokenizer.json or tokenizer.model")]
    public void LoadTokenizer_NoTokenizerFile_ErrorNamesFolderAndFile(BackboneFamily family, string files)
    {
        var error = Assert.Throws<FileNotFoundException>(() => BackboneLoader.LoadTokenizer(_dir, family));

        Assert.Contains(_dir, error.Message, StringComparison.Ordinal);
        Assert.Contains(files, error.Message, StringComparison.Ordinal);
    }
}
