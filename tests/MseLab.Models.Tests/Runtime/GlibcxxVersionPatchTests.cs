using System.Buffers.Binary;
using MseLab.Models.Runtime;

namespace MseLab.Models.Tests.Runtime;

public sealed class GlibcxxVersionPatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-glibcxx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ShippedGlue() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", GlibcxxVersionPatch.GlueLibraryName);

    [Fact]
    public void EnsureLoadable_StrongNeed_BecomesWeakAndOnlyTwoBytesChange()
    {
        var copy = Path.Combine(_dir, "glue.so");
        var original = File.ReadAllBytes(ShippedGlue());
        var offset = GlibcxxVersionPatch.FindVersionNeed(original, "shipped", GlibcxxVersionPatch.VersionName);
        Assert.True(offset > 0, "the shipped glue library should declare GLIBCXX_3.4.32");

        // Make the need strong again, as the package ships it, then patch the copy.
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(original.AsSpan(offset + 4));
        BinaryPrimitives.WriteUInt16LittleEndian(original.AsSpan(offset + 4), (ushort)(flags & ~2));
        File.WriteAllBytes(copy, original);

        Assert.Equal(GlibcxxVersionPatch.Outcome.Patched, GlibcxxVersionPatch.EnsureLoadable(copy));

        var patched = File.ReadAllBytes(copy);
        var differing = Enumerable.Range(0, patched.Length).Where(i => patched[i] != original[i]).ToArray();
        Assert.Equal([offset + 4], differing);
        Assert.Equal(GlibcxxVersionPatch.Outcome.AlreadyWeak, GlibcxxVersionPatch.EnsureLoadable(copy));
    }

    [Fact]
    public void EnsureLoadable_LibraryWithoutTheNeed_IsLeftUntouched()
    {
        // libtorch itself needs only GLIBCXX_3.4.26.
        var libc10 = Path.Combine(Path.GetDirectoryName(ShippedGlue())!, "libc10.so");
        var copy = Path.Combine(_dir, "libc10.so");
        File.Copy(libc10, copy);
        var before = File.GetLastWriteTimeUtc(copy);

        Assert.Equal(GlibcxxVersionPatch.Outcome.NotNeeded, GlibcxxVersionPatch.EnsureLoadable(copy));
        Assert.Equal(before, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void EnsureLoadable_NotAnElfFile_FailsNamingTheFile()
    {
        var path = Path.Combine(_dir, "not-elf.so");
        File.WriteAllText(path, "this is text, not a shared library");

        var error = Assert.Throws<InvalidDataException>(() => GlibcxxVersionPatch.EnsureLoadable(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
