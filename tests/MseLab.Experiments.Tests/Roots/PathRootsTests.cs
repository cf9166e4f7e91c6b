using MseLab.Experiments.Roots;

namespace MseLab.Experiments.Tests.Roots;

/// <summary>The path rules of a shared lab, on real folders and a real symbolic link.</summary>
public sealed class PathRootsTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("mselab-roots-").FullName;

    public PathRootsTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "llama"));
        Directory.CreateDirectory(Outside);
    }

    private string Root => Path.Combine(_base, "models");

    private string Outside => Path.Combine(_base, "secret");

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public void Refusal_FolderInsideRoot_IsNull()
    {
        var path = Path.Combine(Root, "llama");

        Assert.Null(PathRoots.Refusal(path, path, [Root]));
        Assert.Null(PathRoots.Refusal(Path.Combine(Root, "not-yet"), Path.Combine(Root, "not-yet"), [Root + "/"]));   // the worker checks its own copy
    }

    [Fact]
    public void Refusal_DotDotSegment_IsRefusedEvenWhenItEndsInside()
    {
        var text = Path.Combine(Root, "llama", "..", "llama");

        var refusal = PathRoots.Refusal(text, Path.GetFullPath(text), [Root]);

        Assert.StartsWith("has a '..' segment", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Refusal_AbsolutePathOutside_NamesWhereItResolves()
    {
        var refusal = PathRoots.Refusal(Outside, Outside, [Root]);

        Assert.Equal($"resolves to {Outside}, outside the allowed roots", refusal);
    }

    [Fact]
    public void Refusal_SiblingWithTheRootAsPrefix_IsOutside()
    {
        var sibling = Root + "-evil";
        Directory.CreateDirectory(sibling);

        Assert.NotNull(PathRoots.Refusal(sibling, sibling, [Root]));
    }

    [Fact]
    public void Refusal_SymlinkInsideRootLeadingOutside_IsRefusedWithItsTarget()
    {
        var link = Path.Combine(Root, "escape");
        Directory.CreateSymbolicLink(link, Outside);
        var through = Path.Combine(link, "model");
        Directory.CreateDirectory(Path.Combine(Outside, "model"));

        Assert.Equal($"leads through a symbolic link to {Outside}, outside the allowed roots", PathRoots.Refusal(link, link, [Root]));
        Assert.Equal($"leads through a symbolic link to {Path.Combine(Outside, "model")}, outside the allowed roots", PathRoots.Refusal(through, through, [Root]));
    }

    [Fact]
    public void Refusal_SymlinkInsideRootToAnotherFolderInside_IsAllowed()
    {
        var link = Path.Combine(Root, "current");
        Directory.CreateSymbolicLink(link, "llama");   // relative target, as `ln -s llama current` makes

        Assert.Null(PathRoots.Refusal(link, link, [Root]));
        Assert.Equal(Path.Combine(Root, "llama"), PathRoots.RealPath(link));
    }

    [Fact]
    public void Refusal_RootItselfALink_ComparesRealPaths()
    {
        var linkedRoot = Path.Combine(_base, "models-link");
        Directory.CreateSymbolicLink(linkedRoot, Root);
        var path = Path.Combine(linkedRoot, "llama");

        Assert.Null(PathRoots.Refusal(path, path, [linkedRoot]));
    }

    [Fact]
    public void Refusal_NoRoots_RefusesEverything()
    {
        Assert.StartsWith("cannot be used", PathRoots.Refusal(Root, Root, []), StringComparison.Ordinal);
    }

    [Fact]
    public void RealPath_LinkLoop_IsAnIOException()
    {
        var a = Path.Combine(Root, "a");
        var b = Path.Combine(Root, "b");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);

        Assert.Throws<IOException>(() => PathRoots.RealPath(Path.Combine(a, "x")));
        Assert.StartsWith("cannot be resolved", PathRoots.Refusal(a, a, [Root]), StringComparison.Ordinal);
    }
}
