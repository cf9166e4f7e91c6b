using System.Text.Json.Nodes;
using MseLab.TestSupport;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>
/// Runs make_pickles.py once per test class: Python's own pickle module and numpy write one group of fixtures into a
/// temporary folder, with expected.json describing what each holds (computed by numpy).
/// </summary>
public abstract class PickleFixture : IDisposable
{
    protected PickleFixture(string group)
    {
        Folder = Directory.CreateTempSubdirectory($"mselab-pickles-{group}-").FullName;
        ChildProcess.RunPython(Path.Combine("Pickles", "make_pickles.py"), [group, Folder]);
        Expected = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")))
            ?? throw new InvalidDataException("make_pickles.py wrote an empty expected.json");
    }

    public string Folder { get; }

    public JsonNode Expected { get; }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

/// <summary>Arrays of every dtype, scalars, nested structures and numpy 2.x paths, for protocols 2 to 5.</summary>
public sealed class ValuePickles() : PickleFixture("values");

/// <summary>Arrays above the in-memory limit in every protocol, and a MOSEI-shaped file.</summary>
public sealed class LargePickles() : PickleFixture("large");

/// <summary>Payloads that run commands under Python's pickle.loads, alone and hidden among numpy arrays.</summary>
public sealed class MaliciousPickles() : PickleFixture("malicious");

/// <summary>Dataset-like pickles to truncate, and well-formed pickles with content MseLab refuses.</summary>
public sealed class BrokenPickles() : PickleFixture("broken");
