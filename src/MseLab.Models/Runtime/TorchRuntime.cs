using System.Runtime.InteropServices;
using TorchSharp;

namespace MseLab.Models.Runtime;

/// <summary>
/// One place that makes TorchSharp's native glue loadable and configures the process-wide torch settings.
/// Call <see cref="Initialize"/> before the first <c>torch.*</c> call (the CLI and test assemblies do).
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock InitLock = new();
    private static bool initialized;

    /// <summary>
    /// Held by whoever seeds torch's process-global generator or builds modules (module constructors draw their initial
    /// weights from it). Trials that run side by side in one process then start from the same weights as they would alone.
    /// </summary>
    public static Lock RandomState { get; } = new();

    /// <summary>Patches the native glue if needed, then checks that libtorch loads. Idempotent and thread-safe.</summary>
    public static void Initialize()
    {
        lock (InitLock)
        {
            if (initialized)
            {
                return;
            }

            if (OperatingSystem.IsLinux())
            {
                foreach (var path in GlueLibraryCandidates())
                {
                    GlibcxxVersionPatch.EnsureLoadable(path);
                }
            }

            try
            {
                // The first torch call loads the natives; do it here so a failure has one clear message.
                _ = torch.__version__;
                _ = torch.zeros(1);
            }
            catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
            {
                throw new InvalidOperationException(
                    "TorchSharp could not load its native libraries (libLibTorchSharp.so / libtorch). " +
                    "Rebuild so that runtimes/linux-x64/native is next to the program, and check that the libtorch package " +
                    $"matches the build's TorchBackend. Inner error: {ex.GetBaseException().Message}", ex);
            }

            initialized = true;
        }
    }

    /// <summary>Sets the intra-op thread count for the whole process (TorchSharp's setting is process-global).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Initialize();
        torch.set_num_threads(threads);
    }

    /// <summary>Parses a device option: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>, and checks that it exists.</summary>
    public static torch.Device ParseDevice(string text)
    {
        Initialize();
        var value = text.Trim().ToLowerInvariant();
        if (value is "cpu" or "cpu:0")
        {
            return torch.CPU;
        }

        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var index = value == "cuda" ? 0 : int.TryParse(value[5..], out var n) ? n : -1;
            if (index < 0)
            {
                throw new ArgumentException($"Device '{text}' is not valid: use cpu, cuda or cuda:N.");
            }

            if (!torch.cuda.is_available() || index >= torch.cuda.device_count())
            {
                throw new ArgumentException(
                    $"Device '{text}' is not available: this build has {(torch.cuda.is_available() ? torch.cuda.device_count() : 0)} CUDA device(s). " +
                    "Use --device cpu, or build with -p:TorchBackend=cuda on a machine with NVIDIA drivers.");
            }

            return new torch.Device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"Device '{text}' is not valid: use cpu, cuda or cuda:N.");
    }

    private static IEnumerable<string> GlueLibraryCandidates()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", rid, "native", GlibcxxVersionPatch.GlueLibraryName),
            Path.Combine(baseDir, GlibcxxVersionPatch.GlueLibraryName),
        ];
        return candidates.Where(File.Exists);
    }
}
