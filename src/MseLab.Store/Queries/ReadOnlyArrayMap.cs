using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MseLab.Store.Queries;

/// <summary>
/// A small read-only map from names to values over two arrays, in the order given, for the leaderboard's thousands of
/// groups: a group's fields (names shared by every group) and its metrics (names shared by every group with the same
/// metrics). About a third of a <see cref="Dictionary{TKey, TValue}"/>'s memory; lookups compare the few names ordinally.
/// </summary>
internal sealed class ReadOnlyArrayMap<TValue>(string[] keys, TValue[] values) : IReadOnlyDictionary<string, TValue>
{
    public int Count => keys.Length;

    public IEnumerable<string> Keys => keys;

    public IEnumerable<TValue> Values => values;

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No '{key}' among {string.Join(", ", keys)}.");

    public bool ContainsKey(string key) => Array.IndexOf(keys, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var at = Array.IndexOf(keys, key);
        value = at >= 0 ? values[at] : default;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        for (var i = 0; i < keys.Length; i++)
        {
            yield return new KeyValuePair<string, TValue>(keys[i], values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
