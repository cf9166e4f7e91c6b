namespace MseLab.TestSupport;

/// <summary>
/// Creates the shared tiny backbone before any test of the assembly runs (register with xUnit's AssemblyFixture), so
/// that its one-off pretraining is not billed to whichever test happens to touch it first.
/// </summary>
public sealed class TinyBackboneFixture
{
    public TinyBackboneFixture() => Directory = TinyBackbones.Directory;

    public string Directory { get; }
}
