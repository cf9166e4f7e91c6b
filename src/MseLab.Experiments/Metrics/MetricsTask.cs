namespace MseLab.Experiments.Metrics;

/// <summary>
/// The evaluation protocols of MSE-Adapter (spec §4). Each task fixes the metric keys, the selection key and
/// the label conventions; CLI names are listed in <see cref="MetricsTaskNames"/>.
/// </summary>
public enum MetricsTask
{
    /// <summary>CMU-MOSI: regression in [-3, 3], MMSA MOSEI metrics.</summary>
    Mosi,

    /// <summary>CMU-MOSEI: regression in [-3, 3], MMSA MOSEI metrics.</summary>
    Mosei,

    /// <summary>CH-SIMS: regression in [-1, 1], SIMS metrics.</summary>
    Sims,

    /// <summary>CH-SIMS v2: regression in [-1, 1], SIMS metrics.</summary>
    SimsV2,

    /// <summary>MELD: 7-class emotion recognition, accuracy and weighted F1.</summary>
    Meld,

    /// <summary>CHERMA: 7-class emotion recognition, accuracy and weighted F1.</summary>
    Cherma,
}
