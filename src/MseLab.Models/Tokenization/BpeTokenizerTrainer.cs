using System.Globalization;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Trains a small LLaMA-2-style tokenizer (SentencePiece BPE with byte fallback) and writes it as a Hugging Face
/// <c>tokenizer.json</c>, so a tiny test backbone has a real tokenizer in the real file format.
/// </summary>
/// <remarks>
/// Vocabulary layout, as in LLaMA-2: 0 <c>&lt;unk&gt;</c>, 1 <c>&lt;s&gt;</c>, 2 <c>&lt;/s&gt;</c>, 3..258 the byte
/// pieces <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>, then single characters (most frequent first, ties by ordinal),
/// then merged pieces in merge order. Each merge takes the most frequent adjacent pair; equal counts go to
/// the ordinally smaller left piece, then right piece, so training is deterministic. Pieces never span a
/// "▁" word boundary, and digits never merge
/// (LLaMA-2's split_digits), so labels tokenize as in LLaMA-2: "-1.2" is "▁-", "1", ".", "2". Characters outside the chosen alphabet, and any never seen, encode through byte fallback.
/// </remarks>
public static class BpeTokenizerTrainer
{
    /// <summary>Id 0.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>Id 1; the post-processor puts it in front of every sequence encoded with special tokens.</summary>
    public const string BosToken = "<s>";

    /// <summary>Id 2.</summary>
    public const string EosToken = "</s>";

    /// <summary>The id of <see cref="BosToken"/>.</summary>
    public const int BosId = 1;

    /// <summary>SentencePiece's word-boundary mark (U+2581), which replaces spaces.</summary>
    public const char WordBoundary = '\u2581';

    /// <summary>Ids 0..2 are the specials and 3..258 the byte pieces: the first learned piece has this id.</summary>
    public const int FirstLearnedId = 3 + 256;

    /// <summary>
    /// Single-character pieces every trained tokenizer has, so that MSE-Adapter's labels ("-1.2", "+0.4", "3")
    /// tokenize into small pieces rather than bytes.
    /// </summary>
    public static IReadOnlyList<string> RequiredCharacters { get; } =
        [WordBoundary.ToString(), "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "-", "."];

    /// <summary>The smallest <c>vocabSize</c> <see cref="Train"/> accepts.</summary>
    public static int MinimumVocabSize => FirstLearnedId + RequiredCharacters.Count;

    /// <summary>
    /// Trains on <paramref name="corpus"/> (one text per item) and returns the tokenizer.json text. The vocabulary
    /// has at most <paramref name="vocabSize"/> entries; fewer when the corpus runs out of pairs to merge.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vocabSize"/> is below <see cref="MinimumVocabSize"/>.</exception>
    public static string Train(IEnumerable<string> corpus, int vocabSize)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (vocabSize < MinimumVocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize,
                $"A LLaMA-2-style vocabulary needs {FirstLearnedId} fixed entries (3 specials, 256 bytes) plus " +
                $"{RequiredCharacters.Count} required characters: use vocabSize >= {MinimumVocabSize}.");
        }

        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var index = 0;
        foreach (var line in corpus)
        {
            if (line is null)
            {
                throw new ArgumentException($"Corpus item {index} is null.", nameof(corpus));
            }

            foreach (var word in BpeMergeLearner.NormalizedWords(line, WordBoundary))
            {
                wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
            }

            index++;
        }

        var vocab = new List<string>(vocabSize) { UnknownToken, BosToken, EosToken };
        for (var b = 0; b < 256; b++)
        {
            vocab.Add(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"));
        }

        var learner = BpeMergeLearner.Learn(wordCounts, RequiredCharacters, vocabSize - FirstLearnedId, vocab);
        vocab.AddRange(learner.Pieces);
        return LlamaTokenizerJsonWriter.Write(vocab, learner.Merges);
    }

    /// <summary>Trains as <see cref="Train"/> and writes the result to <paramref name="path"/> (UTF-8, no BOM).</summary>
    public static void TrainToFile(IEnumerable<string> corpus, int vocabSize, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var json = Train(corpus, vocabSize);
        File.WriteAllText(path, json);
    }
}
