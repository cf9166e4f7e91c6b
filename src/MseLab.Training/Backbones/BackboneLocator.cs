using MseLab.Experiments.Backbones;
using MseLab.Training.TinyBackbone;
using Polly;
using Polly.Retry;

namespace MseLab.Training.Backbones;

/// <summary>
/// Turns a backbone reference into a model folder: a folder is itself; a preset is made in <see cref="ModelsDirectory"/>
/// on first use. Processes on one machine that want the same preset at once make it once: a lock file serialises them.
/// </summary>
public sealed class BackboneLocator(string modelsDirectory)
{
    private static readonly Lock Gate = new();

    // Another process holds the lock file while it makes the preset (about a minute for tiny): wait for it, up to 5 min.
    // Only that refusal is waited out (EWOULDBLOCK from flock on Linux, a sharing violation on Windows); any other I/O
    // error (disk full, read-only folder) is the caller's at once.
    private static readonly ResiliencePipeline LockWait = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e.HResult is 11 or unchecked((int)0x80070020)),
            Delay = TimeSpan.FromMilliseconds(500),
            BackoffType = DelayBackoffType.Constant,
            MaxRetryAttempts = 600,
        })
        .Build();

    /// <summary>The models folder of the working folder (<c>models/</c>), where commands and workers make presets by default.</summary>
    public static BackboneLocator Default => new("models");

    public string ModelsDirectory { get; } = Path.GetFullPath(modelsDirectory);

    /// <summary>The folder <paramref name="preset"/> lives in (whether made yet or not).</summary>
    public string DirectoryOf(PresetBackbone preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return Path.Combine(ModelsDirectory, preset.Folder);
    }

    /// <summary>
    /// Whether <paramref name="backbone"/> is a preset that has not been made here yet. Its report is written last, so a
    /// folder that a crash left half made is made again, and no process loads one being made.
    /// </summary>
    public bool NeedsCreating(BackboneRef backbone) =>
        backbone is PresetBackbone preset && !File.Exists(Path.Combine(DirectoryOf(preset), TinyBackboneFactory.ReportFile));

    /// <summary>The model folder of <paramref name="backbone"/>, making a preset first if needed (reporting pretraining steps).</summary>
    public string Locate(BackboneRef backbone, IProgress<(int Step, double Loss)>? progress = null)
    {
        switch (backbone)
        {
            case FolderBackbone folder:
                return folder.Directory;
            case PresetBackbone preset:
                var directory = DirectoryOf(preset);
                lock (Gate)
                {
                    if (NeedsCreating(preset))
                    {
                        Directory.CreateDirectory(ModelsDirectory);
                        using var fileLock = LockWait.Execute(() => new FileStream(
                            directory + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose));
                        if (NeedsCreating(preset))
                        {
                            TinyBackboneFactory.Create(directory, new TinyBackboneOptions { Family = preset.Family }, progress);
                        }
                    }
                }

                return directory;
            default:
                throw new NotSupportedException($"Backbone '{backbone}' cannot be located.");
        }
    }
}
