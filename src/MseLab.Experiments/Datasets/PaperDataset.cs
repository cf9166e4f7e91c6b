namespace MseLab.Experiments.Datasets;

/// <summary>
/// The four data sets of the MSE-Adapter paper, then the two more the official code reads (MOSI, SIMS: MMSA pickles like
/// MOSEI's and SIMS-V2's; not in the paper, so they borrow the configuration of their sibling, see
/// <see cref="PaperDatasetInfo.ConfigFrom"/>). New members go last: the names, not the numbers, are the identity.
/// </summary>
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

    /// <summary>CMU-MOSI (MMSA unaligned_50), English, sentiment regression in [-3, 3]; not in the paper.</summary>
    Mosi,

    /// <summary>CH-SIMS (MMSA unaligned_39), Chinese, sentiment regression in [-1, 1]; not in the paper.</summary>
    Sims,
}
