using System.Text;
using System.Text.Json;

namespace MseLab.Store.Queries;

/// <summary>
/// The few metric names of a store, one string each however many groups name them, and the few sets of them, one array
/// each (ordinal order, as <see cref="Leaderboard.Build"/> lists a group's metrics), for one query.
/// </summary>
internal sealed class MetricNames
{
    private readonly List<(byte[] Utf8, string Name)> _known = [];

    private readonly List<string[]> _sets = [];

    public string Of(ref Utf8JsonReader reader)
    {
        foreach (var (utf8, name) in _known)
        {
            if (reader.ValueTextEquals(utf8))
            {
                return name;
            }
        }

        var added = reader.GetString()!;
        _known.Add((Encoding.UTF8.GetBytes(added), added));
        return added;
    }

    /// <summary>Sorts <paramref name="metrics"/> by name and gives them as a set: the shared names and a copy of the moments.</summary>
    public MetricSet Set(List<(string Name, Moments Moments)> metrics)
    {
        var names = SortedNames(metrics);
        var moments = new Moments[metrics.Count];
        for (var i = 0; i < moments.Length; i++)
        {
            moments[i] = metrics[i].Moments;
        }

        return new MetricSet(names, moments);
    }

    /// <summary>Sorts <paramref name="metrics"/> by name (ordinal) and gives the shared array of their names.</summary>
    public string[] SortedNames(List<(string Name, Moments Moments)> metrics)
    {
        metrics.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var names = _sets.Find(set => Same(set, metrics));
        if (names is null)
        {
            _sets.Add(names = metrics.ConvertAll(m => m.Name).ToArray());
        }

        return names;

        static bool Same(string[] set, List<(string Name, Moments Moments)> metrics)
        {
            if (set.Length != metrics.Count)
            {
                return false;
            }

            for (var i = 0; i < set.Length; i++)
            {
                if (!ReferenceEquals(set[i], metrics[i].Name) && !string.Equals(set[i], metrics[i].Name, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }

    // {"name": [n, mean, m2], ...} as the triggers write it (mean and m2 null when n is 0).
    public void Read(ReadOnlySpan<byte> json, List<(string Name, Moments Moments)> into)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Of(ref reader);
            Expect(ref reader, JsonTokenType.StartArray);
            var n = Number(ref reader) ?? 0;
            var mean = Number(ref reader);
            var m2 = Number(ref reader);
            Expect(ref reader, JsonTokenType.EndArray);
            into.Add((name, n == 0 ? default : new Moments((long)n, mean!.Value, m2 ?? 0)));
        }

        static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
        {
            if (!reader.Read() || reader.TokenType != token)
            {
                throw new InvalidDataException($"seed_group_stats.Moments: expected {token} at byte {reader.TokenStartIndex}, got {reader.TokenType}.");
            }
        }

        static double? Number(ref Utf8JsonReader reader)
        {
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
            {
                throw new InvalidDataException($"seed_group_stats.Moments: expected a number or null at byte {reader.TokenStartIndex}, got {reader.TokenType}.");
            }

            return reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();
        }
    }
}
