using MseLab.Datasets.Cache;

namespace MseLab.Datasets.Readers;

/// <summary>What <c>mselab data inspect --json</c> prints, for a dataset read from its files or opened from the cache.</summary>
public static partial class DatasetSummaries
{
    /// <summary>The summary of a prepared dataset (its hash included), reading every feature value from the mapped files.</summary>
    public static DatasetSummary Of(PreparedDataset prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var info = Experiments.Datasets.PaperDatasets.Info(prepared.Dataset);
        return new DatasetSummary(
            info.Name,
            prepared.ContentHash,
            prepared.Splits.ToDictionary(
                s => s.Name,
                s => SplitSummaries.Of(
                    info, s.Count, (s.AudioSteps, s.AudioDim), (s.VisionSteps, s.VisionDim), s.AudioLengths, s.VisionLengths, s.Labels,
                    (i, _) => s.Audio(i).Span, (i, _) => s.Vision(i).Span)));
    }
}
