using System.Globalization;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Trains a small SentencePiece BPE <c>tokenizer.model</c> in ChatGLM3's (and LLaMA-2's) layout, so a tiny backbone
/// has a real SentencePiece file that python3-sentencepiece and <see cref="ChatGlm3Tokenizer"/> read alike.
/// </summary>
/// <remarks>
/// Pieces: 0 <c>&lt;unk&gt;</c>, 1 <c>&lt;s&gt;</c>, 2 <c>&lt;/s&gt;</c>, 3..258 the byte pieces <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>,
/// then the learned pieces (merges by <see cref="BpeMergeLearner"/>, digits never merged) scored by merge order
/// (first merge highest) and the single characters below them. Normalizer: identity, add_dummy_prefix,
/// remove_extra_whitespaces off, escape_whitespaces; trainer spec: BPE, byte_fallback, split_digits.
/// </remarks>
public static class SentencePieceBpeTrainer
{
    /// <summary>The smallest <c>vocabSize</c> <see cref="Train"/> accepts.</summary>
    public static int MinimumVocabSize => BpeTokenizerTrainer.MinimumVocabSize;

    /// <summary>
    /// Trains on <paramref name="corpus"/> (one text per item). The model has at most <paramref name="vocabSize"/>
    /// pieces; fewer when the corpus runs out of pairs to merge.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabSize"/> is below <see cref="MinimumVocabSize"/>.</exception>
    public static SentencePieceModelFile Train(IEnumerable<string> corpus, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (vocabSize < MinimumVocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                $"A SentencePiece BPE model with byte fallback needs 259 fixed pieces plus {BpeTokenizerTrainer.RequiredCharacters.Count} required characters: use vocabSize >= {MinimumVocabSize}.");
        }

        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in corpus)
        {
            foreach (var word in BpeMergeLearner.NormalizedWords(line ?? throw new ArgumentException("A corpus item is null.", nameof(corpus)), BpeTokenizerTrainer.WordBoundary))
            {
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
            }
        }

        var pieces = new List<SentencePiece>
        {
            new(BpeTokenizerTrainer.UnknownToken, 0, SentencePieceType.Unknown),
            new(BpeTokenizerTrainer.BosToken, 0, SentencePieceType.Control),
            new(BpeTokenizerTrainer.EosToken, 0, SentencePieceType.Control),
        };
        for (var b = 0; b < 256; b++)
        {
            pieces.Add(new(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"), 0, SentencePieceType.Byte));
        }

        var learner = BpeMergeLearner.Learn(wordCounts, BpeTokenizerTrainer.RequiredCharacters, vocabSize - pieces.Count, pieces.Select(p => p.Piece));
        var alphabet = learner.Pieces.Count - learner.Merges.Count;
        for (var i = 0; i < learner.Merges.Count; i++)
        {
            pieces.Add(new(learner.Pieces[alphabet + i], -i, SentencePieceType.Normal));
        }

        for (var i = 0; i < alphabet; i++)
        {
            pieces.Add(new(learner.Pieces[i], -(learner.Merges.Count + i), SentencePieceType.Normal));
        }

        return new SentencePieceModelFile
        {
            Pieces = pieces,
            ModelType = SentencePieceModelFile.BpeModelType,
            ByteFallback = true,
            SplitDigits = true,
            NormalizerName = "identity",
            AddDummyPrefix = true,
            RemoveExtraWhitespaces = false,
            EscapeWhitespaces = true,
        };
    }

    /// <summary>Trains as <see cref="Train"/> and writes the model to <paramref name="path"/> (e.g. <c>DIR/tokenizer.model</c>).</summary>
    public static void TrainToFile(IEnumerable<string> corpus, int vocabSize, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, Train(corpus, vocabSize).ToBytes());
    }
}
