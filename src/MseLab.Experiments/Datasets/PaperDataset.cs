namespace MseLab.Experiments.Datasets;

/// <summary>The four data sets of the MSE-Adapter paper.</summary>
public enum PaperDataset
{
    /// <summary>CMU-MOSEI, English, sentiment regression in [-3, 3].</summary>
    Mosei,

    /// <summary>CH-SIMS v2, Chinese, sentiment regression in [-1, 1].</summary>
    SimsV2,

    /// <summary>MELD, English, 7 emotion classes.</summary>
    Meld,

    /// <summary>CHERMA, Chinese, 7 emotion classes.</summary>
    Cherma,
}
