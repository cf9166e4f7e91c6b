using System.Text.Json;
using System.Text.Json.Nodes;
using MseLab.Models.Tokenization.Unicode;
using MseLab.TestSupport;

namespace MseLab.Models.Tests.Tokenization;

public sealed class UnicodeNfcTests
{
    [Fact]
    public void Normalize_EveryCanonicalDecomposition_EqualsPythonUnicodedata()
    {
        var stdout = ChildProcess.RunPython("Tokenization/python/nfc_reference.py", [], JsonSerializer.Serialize(TokenizerTexts.Probes.Concat(TokenizerTexts.Corpus)));
        var pairs = JsonNode.Parse(stdout)!.AsArray();
        Assert.True(pairs.Count > 10_000, $"only {pairs.Count} cases");
        var failures = pairs.Select(p => ((string)p![0]!, (string)p[1]!))
            .Where(p => UnicodeNfc.Normalize(p.Item1) != p.Item2)
            .Select(p => $"{Hex(p.Item1)} -> {Hex(UnicodeNfc.Normalize(p.Item1))}, python {Hex(p.Item2)}").Take(10).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Hex(string s) => string.Join(" ", s.EnumerateRunes().Select(r => r.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
}
