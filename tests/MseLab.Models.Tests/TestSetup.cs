using System.Runtime.CompilerServices;
using MseLab.Models.Runtime;

namespace MseLab.Models.Tests;

internal static class TestSetup
{
    // Torch is process-global: load the natives once and use one intra-op thread (2-core machines).
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.SetThreads(1);
}
