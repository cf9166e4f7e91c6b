namespace MseLab.Store.Paper;

/// <summary>What a group of our results can be compared with.</summary>
public enum ComparisonStatus
{
    /// <summary>The authors' logs have a reference result for this backbone family and dataset.</summary>
    Compared,

    /// <summary>A paper dataset, but the logs have no result for this family (LLaMA2-7B: its log is not in the repository).</summary>
    NotPublished,

    /// <summary>Not one of the paper's datasets (MOSI, SIMS), or no paper backbone family.</summary>
    NotInPaper,
}
