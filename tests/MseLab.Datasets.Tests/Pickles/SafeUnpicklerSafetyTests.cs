using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>
/// Pickles that run a command under Python's pickle.loads (os.system, eval, exec, subprocess.Popen, a getattr chain),
/// alone, inside a dict of numpy arrays and after valid arrays: each is refused naming the global, and its marker file
/// never appears. The fixture first proves the payloads live: the same objects, loaded by Python, create their markers.
/// </summary>
public sealed class SafeUnpicklerSafetyTests(MaliciousPickles pickles) : IClassFixture<MaliciousPickles>
{
    public static TheoryData<string> Files() =>
        [.. from protocol in new[] { 0, 2, 3, 4, 5 }
            from kind in new[] { "system", "eval", "exec", "popen", "getattr" }
            from place in new[] { "bare", "in_dict", "after_arrays" }
            select $"{kind}_{place}_p{protocol}.pkl"];

    [Fact]
    public void Payloads_UnderPythonsPickle_RunTheirCommand()
    {
        var controls = pickles.Expected["controls"]!.AsObject();

        Assert.Equal(5, controls.Count);
        Assert.All(controls, c => Assert.True(File.Exists(c.Value!.GetValue<string>()), $"{c.Key}: Python's pickle.loads did not run it"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_MaliciousPickle_RefusedNamingTheGlobalAndNothingRuns(string file)
    {
        var entry = pickles.Expected["files"]!.AsArray().Single(f => f!["file"]!.GetValue<string>() == file)!;
        var global = entry["global"]!.GetValue<string>();
        var marker = entry["marker"]!.GetValue<string>();
        var path = pickles.PathOf(file);

        var error = Assert.Throws<UnsafePickleException>(() => SafeUnpickler.Load(path));

        Assert.Equal(global, error.Global);
        Assert.Equal(path, error.File);
        Assert.Contains($"'{global}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void Load_EveryMaliciousPickle_LeavesNoMarkerBehind()
    {
        foreach (var entry in pickles.Expected["files"]!.AsArray().Select(e => e!))
        {
            Assert.Throws<UnsafePickleException>(() => SafeUnpickler.Load(pickles.PathOf(entry["file"]!.GetValue<string>())));
        }

        // Popen would start a process that touches its marker a little later; give it the time to show.
        Thread.Sleep(TimeSpan.FromMilliseconds(300));
        var markers = Directory.GetFiles(pickles.Folder, "marker_*");
        Assert.Empty(markers);
        Assert.Equal(75, pickles.Expected["files"]!.AsArray().Count);
    }
}
