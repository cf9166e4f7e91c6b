using MseLab.Experiments.Metrics;

namespace MseLab.Experiments.Datasets;

/// <summary>
/// Everything fixed about one paper dataset (spec §1.1, §1.8 and §3; official configs): its task, prompt language, the
/// text length L in LLM tokens, the padded audio and video sequence lengths and feature widths, and the class names.
/// </summary>
/// <param name="Dataset">Which dataset.</param>
/// <param name="Name">Its name on the command line and in sweep files (<c>mosei</c>, <c>simsv2</c>, <c>meld</c>, <c>cherma</c>).</param>
/// <param name="Kind">Regression (MOSEI, SIMS-V2) or 7-class classification (MELD, CHERMA).</param>
/// <param name="Metrics">The evaluation protocol its results are scored with.</param>
/// <param name="Language">The config's <c>language</c>, which picks the multimodal tag text.</param>
/// <param name="TextLength">L: text tokens per sample after left padding or truncation.</param>
/// <param name="AudioSteps">Padded audio frames per sample.</param>
/// <param name="AudioDim">d_a: width of one audio frame.</param>
/// <param name="VideoSteps">Padded video frames per sample.</param>
/// <param name="VideoDim">d_v: width of one video frame.</param>
/// <param name="LabelBound">Regression labels lie in [-bound, bound] (0 for classification).</param>
/// <param name="ClassNames">Class names in index order (empty for regression).</param>
/// <param name="ConfigFrom">
/// The paper dataset whose prompts and hyperparameters it takes: itself for the paper's four; MOSI takes MOSEI's and SIMS
/// takes SIMS-V2's (same task, language and label range; the paper has no configuration for them).
/// </param>
public sealed record PaperDatasetInfo(
    PaperDataset Dataset,
    string Name,
    TaskKind Kind,
    MetricsTask Metrics,
    PromptLanguage Language,
    int TextLength,
    int AudioSteps,
    int AudioDim,
    int VideoSteps,
    int VideoDim,
    float LabelBound,
    IReadOnlyList<string> ClassNames,
    PaperDataset ConfigFrom)
{
    /// <summary>True for the paper's four datasets; false for MOSI and SIMS, which borrow <see cref="ConfigFrom"/>.</summary>
    public bool InPaper => ConfigFrom == Dataset;

    /// <summary>True for emotion recognition (MELD, CHERMA), false for sentiment regression.</summary>
    public bool IsClassification => Kind == TaskKind.Classification;

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
