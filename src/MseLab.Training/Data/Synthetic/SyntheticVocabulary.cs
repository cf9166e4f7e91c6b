namespace MseLab.Training.Data.Synthetic;

/// <summary>
/// Words of the generated corpus that the tiny backbone is pretrained on and that synthetic utterances are made of.
/// Utterance text is deliberately label-free: the planted signal is in the audio and video features only, so an
/// adapter that scores well must have read the other modalities.
/// </summary>
public static class SyntheticVocabulary
{
    /// <summary>Label-free filler words for utterance text.</summary>
    public static IReadOnlyList<string> Filler { get; } =
    [
        "the", "a", "this", "that", "it", "we", "they", "you", "i", "he", "she", "movie", "film", "story", "scene",
        "actor", "music", "plot", "ending", "start", "part", "time", "day", "night", "people", "friend", "city", "room",
        "was", "is", "were", "are", "be", "have", "had", "do", "did", "said", "went", "saw", "made", "took", "think",
        "know", "see", "look", "talk", "about", "with", "from", "into", "over", "after", "before", "and", "but", "so",
        "then", "just", "really", "quite", "very", "some", "many", "more", "most", "other", "same", "long", "short",
        "new", "old", "first", "last", "next", "here", "there", "when", "where", "what", "which", "who", "how", "why",
        "yes", "no", "okay", "well", "um", "uh", "like", "kind", "sort", "thing", "things", "way", "back", "up", "down",
    ];

    /// <summary>
    /// Cue words for sentiment intensity levels -3, -2.5, ..., 3 (13 levels). In pretraining, the cue fills the pseudo-token
    /// slots and the label is a value near its level, so the frozen model learns to read an intensity from those slots.
    /// </summary>
    public static IReadOnlyList<string> IntensityCues { get; } =
    [
        "abysmal", "dreadful", "awful", "bad", "poor", "meh", "even", "fair", "decent", "good", "great", "superb", "perfect",
    ];

    /// <summary>The intensity level of <see cref="IntensityCues"/>[i].</summary>
    public static float IntensityLevel(int cueIndex) => -3f + (0.5f * cueIndex);

    /// <summary>Cue words for the 7 emotion classes, in the MELD class-index order (neutral 0 ... anger 6).</summary>
    public static IReadOnlyList<string> EmotionCues { get; } = ["neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"];
}
