using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>The tiny ChatGLM3-style tokenizer.model MseLab writes, read by python3-sentencepiece and by MseLab.</summary>
public sealed class SentencePieceBpeTrainerTests : IDisposable
{
    private const int VocabSize = 420;
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-sp-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string TrainToFile()
    {
        var path = Path.Combine(_dir, "tokenizer.model");
        SentencePieceBpeTrainer.TrainToFile(TinyCorpus.Repeated(3), VocabSize, path);
        return path;
    }

    [Fact]
    public void Train_TinyCorpus_WritesTheChatGlm3Layout()
    {
        var model = SentencePieceModelFile.Read(TrainToFile());

        Assert.Equal(VocabSize, model.Pieces.Count);
        Assert.Equal(new SentencePiece("<unk>", 0, SentencePieceType.Unknown), model.Pieces[0]);
        Assert.Equal(new SentencePiece("<s>", 0, SentencePieceType.Control), model.Pieces[1]);
        Assert.Equal(new SentencePiece("</s>", 0, SentencePieceType.Control), model.Pieces[2]);
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal(new SentencePiece($"<0x{b:X2}>", 0, SentencePieceType.Byte), model.Pieces[3 + b]);
        }

        var learned = model.Pieces.Skip(259).ToArray();
        Assert.All(learned, p => Assert.Equal(SentencePieceType.Normal, p.Type));
        Assert.Equal(learned.Select(p => p.Score).OrderDescending(), learned.Select(p => p.Score));
        Assert.Equal(learned.Length, learned.Select(p => p.Piece).Distinct().Count());
        Assert.DoesNotContain(learned, p => p.Piece.Length > 1 && p.Piece.Any(char.IsAsciiDigit));
        Assert.Equal(SentencePieceModelFile.BpeModelType, model.ModelType);
        Assert.True(model.ByteFallback && model.SplitDigits && model.AddDummyPrefix && model.EscapeWhitespaces);
        Assert.False(model.RemoveExtraWhitespaces);
        Assert.Equal("identity", model.NormalizerName);
    }

    [Fact]
    public void TrainedModel_SentencePieceAndMseLab_EncodeAlike()
    {
        var path = TrainToFile();
        var (expected, pieceCount) = SentencePieceReference.Encode(path, TokenizerTexts.Probes);
        using var tokenizer = new ChatGlm3Tokenizer(path);

        Assert.Equal(VocabSize, pieceCount);
        for (var i = 0; i < TokenizerTexts.Probes.Count; i++)
        {
            Assert.Equal(expected[i], tokenizer.Encode(TokenizerTexts.Probes[i], addSpecialTokens: false));
        }

        // Whitespace is kept (dummy prefix, no collapsing), digits stay single, unseen characters fall back to bytes (情 is E6 83 85).
        var pieces = SentencePieceModelFile.Read(path).Pieces;
        Assert.Equal("▁a▁▁b", string.Concat(tokenizer.Encode("a  b", false).Select(id => pieces[id].Piece)));
        Assert.Equal(["1", "2", "3"], tokenizer.Encode("123", false).Skip(1).Select(id => pieces[id].Piece));
        Assert.Equal([3 + 0xE6, 3 + 0x83, 3 + 0x85], tokenizer.Encode("情", false).Skip(1));
    }
}
