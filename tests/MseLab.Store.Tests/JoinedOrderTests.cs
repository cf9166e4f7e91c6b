using MseLab.Store.Queries;

namespace MseLab.Store.Tests;

/// <summary>
/// <see cref="JoinedOrder"/> orders label arrays exactly as <c>string.Join("\n", labels)</c> compared ordinally (how
/// <see cref="Leaderboard.Build"/> orders groups), including a label that is a prefix of another, labels with characters
/// below the newline (a tab) and labels holding a newline; <see cref="ReadOnlyArrayMap{TValue}"/> reads as a dictionary.
/// </summary>
public sealed class JoinedOrderTests
{
    private static readonly string[] Pieces = ["", "a", "ab", "a\tb", "a\nb", "b", "a\n", "\n", "0.0001", "1e-05", "ä", "A"];

    [Fact]
    public void Compare_EveryPairOfLabelArrays_AgreesWithTheJoinedText()
    {
        var arrays = (from x in Pieces from y in Pieces from z in Pieces select new[] { x, y, z }).ToList();
        foreach (var a in arrays)
        {
            foreach (var b in arrays)
            {
                var expected = Math.Sign(string.CompareOrdinal(string.Join("\n", a), string.Join("\n", b)));
                var actual = Math.Sign(JoinedOrder.Compare(a, b, 3));
                Assert.True(expected == actual, $"[{Show(a)}] vs [{Show(b)}]: {actual}, expected {expected}");
            }
        }
    }

    [Fact]
    public void Compare_OnlyTheFirstCountLabels()
    {
        Assert.Equal(0, JoinedOrder.Compare(new[] { "a", "x" }, new[] { "a", "y" }, 1));
        Assert.True(JoinedOrder.Compare(new[] { "a", "x" }, new[] { "a", "y" }, 2) < 0);
    }

    [Fact]
    public void ReadOnlyArrayMap_ReadsAsADictionaryInItsOrder()
    {
        var map = new ReadOnlyArrayMap<int>(["b", "a"], [2, 1]);

        Assert.Equal(2, map.Count);
        Assert.Equal(["b", "a"], map.Keys);
        Assert.Equal([2, 1], map.Values);
        Assert.Equal(1, map["a"]);
        Assert.True(map.ContainsKey("b"));
        Assert.False(map.TryGetValue("c", out _));
        Assert.Equal([new KeyValuePair<string, int>("b", 2), new KeyValuePair<string, int>("a", 1)], map.ToList());
        Assert.Contains("b, a", Assert.Throws<KeyNotFoundException>(() => map["B"]).Message, StringComparison.Ordinal);
    }

    private static string Show(string[] labels) => string.Join(", ", labels.Select(l => l.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal)));
}
