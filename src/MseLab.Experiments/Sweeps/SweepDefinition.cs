using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.EarlyStopping;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Sweeps;

/// <summary>
/// A parsed sweep file: a base trial configuration and the axes to cross (backbones x datasets x grid cells x
/// random samples x precisions x seeds), with per-trial resources, retry limit and priority.
/// </summary>
public sealed record SweepDefinition
{
    public required string Name { get; init; }

    public required string File { get; init; }

    /// <summary>Hyperparameters every trial starts from (names as in <see cref="Hyperparameters"/>).</summary>
    public IReadOnlyDictionary<string, double> Base { get; init; } = new Dictionary<string, double>();

    public required IReadOnlyList<BackboneRef> Backbones { get; init; }

    public required IReadOnlyList<DatasetRef> Datasets { get; init; }

    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>Grid axes in file order; every combination is a cell.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<double>>> Grid { get; init; } = [];

    /// <summary>Precisions to run every cell in (the <c>precision</c> key; default fp32 alone), in file order.</summary>
    public IReadOnlyList<TrialPrecision> Precisions { get; init; } = [TrialPrecision.Fp32];

    /// <summary>How many random draws of <see cref="Random"/> per grid cell (0: none).</summary>
    public int Samples { get; init; }

    public IReadOnlyList<KeyValuePair<string, Distribution>> Random { get; init; } = [];

    /// <summary>Device kind a trial needs: cpu or cuda.</summary>
    public string DeviceKind { get; init; } = "cpu";

    /// <summary>
    /// Memory per trial in GB as the sweep declares it (<c>resources.memory_gb</c>; scheduling), or null: submission then
    /// asks for the memory plan's estimate (<c>mselab sweep plan</c>). A declared value is authoritative.
    /// </summary>
    public double? MemoryGb { get; init; }

    /// <summary>Where each path the file names was written (backbone folders and <c>data_root</c>), for checks against a lab's roots.</summary>
    public IReadOnlyList<SweepPath> Paths { get; init; } = [];

    public int Retries { get; init; } = 2;

    public int Priority { get; init; }

    /// <summary>
    /// The <c>data_root</c> key as an absolute path (written relative to the sweep file's folder), or null: where the stored
    /// datasets are hashed when the sweep is submitted, unless <c>--data-root</c> says otherwise. Workers read their own root.
    /// </summary>
    public string? DataRoot { get; init; }

    /// <summary>The <c>early_stopping</c> section: stop losing seed groups across trials (null: every trial runs to its own end).</summary>
    public EarlyStoppingRule? EarlyStopping { get; init; }
}
