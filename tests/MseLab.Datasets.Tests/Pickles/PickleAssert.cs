using System.Text.Json.Nodes;

namespace MseLab.Datasets.Tests.Pickles;

internal static class PickleAssert
{
    /// <summary>Fails listing the first differing paths between numpy's description and SafeUnpickler's.</summary>
    public static void Same(JsonNode? expected, JsonNode? actual, string what)
    {
        var differences = new List<string>();
        Diff(expected, actual, "$", differences);
        Assert.True(differences.Count == 0, $"{what}: {string.Join("\n", differences.Take(20))}");
    }

    private static void Diff(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: present on one side only");
                        continue;
                    }

                    Diff(e[key], a[key], $"{path}.{key}", differences);
                }

                break;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: {e.Count} items expected, {a.Count} read");
                }

                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Diff(e[i], a[i], $"{path}[{i}]", differences);
                }

                break;
            default:
                var (want, got) = (Text(expected), Text(actual));
                if (want != got)
                {
                    differences.Add($"{path}: numpy {want}, MseLab {got}");
                }

                break;
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString(PickleDescriber.Json) ?? "null";
}
