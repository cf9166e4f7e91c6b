namespace MseLab.Models.Prompting;

/// <summary>Per-data-set facts the prompt and label code needs (official configs, spec §1.1 and §1.8).</summary>
/// <param name="Dataset">Which data set.</param>
/// <param name="TextLength">L: text tokens per sample after left padding or truncation.</param>
/// <param name="IsClassification">True for emotion recognition (MELD, CHERMA), false for sentiment regression.</param>
/// <param name="Language">The config's <c>language</c>, which picks the multimodal tag text.</param>
/// <param name="ClassNames">Class names in index order (empty for regression).</param>
public sealed record PaperDatasetInfo(
    PaperDataset Dataset,
    int TextLength,
    bool IsClassification,
    PromptLanguage Language,
    IReadOnlyList<string> ClassNames)
{
    /// <summary>
    /// The class index of a label string, as the official <c>label_index_mapping.get(label, -1)</c>: exact,
    /// case-sensitive match; unknown strings (and any string for a regression data set) give −1.
    /// </summary>
    public int ClassIndex(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        for (var i = 0; i < ClassNames.Count; i++)
        {
            if (string.Equals(ClassNames[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
