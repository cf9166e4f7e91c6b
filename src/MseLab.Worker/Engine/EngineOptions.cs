using System.ComponentModel.DataAnnotations;
using MseLab.Grains;

namespace MseLab.Worker.Engine;

/// <summary>Where the engine keeps its files, and its threads. Bound from the <c>Worker</c> section, beside <see cref="WorkerOptions"/>.</summary>
public sealed class EngineOptions
{
    /// <summary>Where trial folders (checkpoints, result.json) live, one per sweep and cell.</summary>
    [Required]
    public string RunsDirectory { get; set; } = ".mselab/runs";

    /// <summary>Where presets (the backbone <c>tiny</c>) are made on first use.</summary>
    [Required]
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>
    /// The folder holding this machine's copy of the paper datasets in the official layout (each machine keeps it at its own
    /// path); unset: <c>MSELAB_DATA_ROOT</c>, else none (trials on stored data are handed to other workers).
    /// </summary>
    public string? DataRoot { get; set; }

    /// <summary>Where datasets are prepared for memory mapping, keyed by content hash; unset: MSELAB_DATA_CACHE, else ~/.cache/mselab/datasets.</summary>
    public string? DataCache { get; set; }

    /// <summary>Intra-op threads for trials (the torch thread pool is process-wide).</summary>
    [Range(1, 1024)]
    public int Threads { get; set; } = 1;
}
