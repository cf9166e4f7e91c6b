using System.Buffers.Binary;
using System.Text;

namespace MseLab.Models.Runtime;

/// <summary>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked by GCC 13 and declares a need for GLIBCXX_3.4.32,
/// which Debian 12 / Ubuntu 22.04 lack (their libstdc++ stops at 3.4.30). The only symbol behind that version is
/// <c>std::ios_base_library_init()</c>, a link-time marker with no relocation, so nothing ever binds it.
/// Marking that version need WEAK (VER_FLG_WEAK in its Elf64_Vernaux entry) lets the loader accept the library.
/// The patch is two bytes, atomic (temp file, then rename) and harmless where libstdc++ is new enough.
/// </summary>
public static class GlibcxxVersionPatch
{
    public const string GlueLibraryName = "libLibTorchSharp.so";
    public const string VersionName = "GLIBCXX_3.4.32";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>What <see cref="EnsureLoadable"/> found.</summary>
    public enum Outcome
    {
        /// <summary>The library does not need the version at all.</summary>
        NotNeeded,

        /// <summary>The need was already weak.</summary>
        AlreadyWeak,

        /// <summary>The need was strong and is now weak.</summary>
        Patched,

        /// <summary>The need is strong, the file could not be written, but the system libstdc++ provides the version.</summary>
        SystemProvidesVersion,
    }

    /// <summary>Makes the GLIBCXX_3.4.32 need of the library at <paramref name="path"/> weak, if it is strong.</summary>
    public static Outcome EnsureLoadable(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = FindVersionNeed(bytes, path, VersionName);
        if (offset < 0)
        {
            return Outcome.NotNeeded;
        }

        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 4));
        if ((flags & VerFlagWeak) != 0)
        {
            return Outcome.AlreadyWeak;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset + 4), (ushort)(flags | VerFlagWeak));
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            return Outcome.Patched;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            if (SystemLibstdcxxProvides(VersionName))
            {
                return Outcome.SystemProvidesVersion;
            }

            throw new InvalidOperationException(
                $"{path} needs {VersionName}, which this system's libstdc++ lacks, and the file could not be patched " +
                $"({ex.Message}). Make the program folder writable, or install a libstdc++ from GCC 13 or newer.", ex);
        }
    }

    /// <summary>Returns the file offset of the Elf64_Vernaux entry that names <paramref name="version"/>, or -1.</summary>
    public static int FindVersionNeed(byte[] elf, string path, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF file.");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
        }

        var span = elf.AsSpan();
        var sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = span.Slice(sectionTable + (i * entrySize), entrySize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
            {
                continue;
            }

            var needOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var stringSection = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var needCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var strings = span.Slice(sectionTable + (stringSection * entrySize), entrySize);
            var stringsOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(strings[0x18..]));

            var need = needOffset;
            for (var n = 0; n < needCount; n++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(need + 2)..]);
                var aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(need + 8)..]);
                for (var a = 0; a < auxCount; a++)
                {
                    var nameOffset = stringsOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]);
                    if (ReadCString(span, nameOffset) == version)
                    {
                        return aux;
                    }

                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
                }

                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(need + 12)..]);
            }
        }

        return -1;
    }

    private static string ReadCString(ReadOnlySpan<byte> span, int offset)
    {
        var end = span[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(span.Slice(offset, end < 0 ? span.Length - offset : end));
    }

    private static bool SystemLibstdcxxProvides(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        var marker = Encoding.ASCII.GetBytes(version + "\0");
        return candidates.Where(File.Exists).Any(c => File.ReadAllBytes(c).AsSpan().IndexOf(marker) >= 0);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temp file is harmless.
        }
    }
}
