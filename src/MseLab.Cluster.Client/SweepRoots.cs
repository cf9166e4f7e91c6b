using MseLab.Experiments.Backbones;
using MseLab.Experiments.Roots;
using MseLab.Experiments.Sweeps;
using MseLab.Store.Records;

namespace MseLab.Cluster.Client;

/// <summary>
/// Submission's check of the paths a sweep names against the roots the lab's workers registered: once any worker
/// names backbone roots, every backbone folder must lie under a registered backbone root and <c>data_root</c> under a
/// registered data root (as written: no <c>..</c>, nothing absolute elsewhere; where the path exists here, links
/// resolved). A lab where no worker names roots takes local paths as they are.
/// </summary>
public static class SweepRoots
{
    /// <summary>Throws when a path of <paramref name="sweep"/> lies outside the roots of <paramref name="workers"/>.</summary>
    /// <exception cref="SweepRejectedException">Every path refused, with FILE:LINE:COLUMN, the path and the allowed roots.</exception>
    public static void Check(SweepDefinition sweep, IReadOnlyList<WorkerRow> workers)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(workers);
        if (!workers.Any(w => w.Roots.Confines))
        {
            return;
        }

        var backboneRoots = workers.SelectMany(w => w.Roots.Backbones).Distinct(StringComparer.Ordinal).ToList();
        var dataRoots = workers.SelectMany(w => w.Roots.Data).Distinct(StringComparer.Ordinal).ToList();
        var refusals = new List<string>();
        foreach (var path in PathsOf(sweep))
        {
            var (roots, option) = path.Key == SweepPath.DataRoot ? (dataRoots, "--data-root") : (backboneRoots, "--backbone-root");
            if (PathRoots.Refusal(path.Text, path.FullPath, roots) is { } refusal)
            {
                refusals.Add($"{path.Location}: {path.Key} '{path.Text}' {refusal}. Allowed: {(roots.Count == 0 ? "none" : string.Join(", ", roots))} (the workers' {option}).");
            }
        }

        if (refusals.Count > 0)
        {
            throw new SweepRejectedException(
                $"Sweep {sweep.Name} was not queued: {refusals.Count} path(s) lie outside the folders this lab's workers allow:{Environment.NewLine}" +
                string.Join(Environment.NewLine, refusals) + $"{Environment.NewLine}Move the model or data under an allowed root and name it there, or ask an admin to start workers with that root.");
        }
    }

    // The parser records where each path stood; a definition built in code has only the resolved paths.
    private static IEnumerable<SweepPath> PathsOf(SweepDefinition sweep)
    {
        if (sweep.Paths.Count > 0)
        {
            return sweep.Paths;
        }

        var backbones = sweep.Backbones.OfType<FolderBackbone>().Select(b => new SweepPath(SweepPath.Backbones, b.Directory, b.Directory, sweep.File));
        return sweep.DataRoot is { } data ? backbones.Append(new SweepPath(SweepPath.DataRoot, data, data, sweep.File)) : backbones;
    }
}
