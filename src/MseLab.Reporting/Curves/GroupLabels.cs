using MseLab.Experiments.Datasets;

namespace MseLab.Reporting.Curves;

/// <summary>Short legend labels for groups: only the fields whose values differ between the groups, backbone paths as folder names, dataset pins shortened.</summary>
public static class GroupLabels
{
    public static IReadOnlyList<string> Of(IReadOnlyList<IReadOnlyDictionary<string, string>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0)
        {
            return [];
        }

        var fields = groups[0].Keys.ToList();
        // One group: nothing differs, so name it by its dataset and backbone (whatever of them is grouped by).
        var varying = groups.Count == 1
            ? fields.Where(f => f is "backbone" or "dataset" or "lr").DefaultIfEmpty(fields.FirstOrDefault() ?? "").ToList()
            : fields.Where(f => groups.Select(g => g.GetValueOrDefault(f, "")).Distinct(StringComparer.Ordinal).Count() > 1).ToList();
        return groups
            .Select(g => varying.Count == 0 ? "all" : string.Join(", ", varying.Select(f => $"{f}={Shorten(f, g.GetValueOrDefault(f, ""))}")))
            .ToList();
    }

    private static string Shorten(string field, string value) => field switch
    {
        "backbone" => System.IO.Path.GetFileName(value.TrimEnd('/', '\\')),
        "dataset" => DatasetRef.Display(value),   // a pinned dataset's hash cut to 12 digits, as in the tables
        _ => value,
    };
}
