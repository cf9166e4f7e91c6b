using System.Runtime.InteropServices;

namespace MseLab.Models.Runtime;

/// <summary>
/// glibc's malloc gives each thread that allocates an arena of its own, and memory one trial's thread frees stays in
/// its arena, where another trial's thread never reuses it: four CPU trials taking turns on one backbone still held four
/// steps' worth of freed activations (<c>mselab bench memory</c>). Giving freed memory back to the system after a turn
/// makes the process hold one step's activations at a time, as the CUDA caching allocator (one pool per device, shared
/// by every thread) does on a GPU.
/// </summary>
public static class NativeHeap
{
    /// <summary>Returns the free memory of every malloc arena to the system (glibc's <c>malloc_trim(0)</c>); a no-op elsewhere.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc: nothing to trim this way
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; a blittable nuint -> int call needs no marshalling.
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}
