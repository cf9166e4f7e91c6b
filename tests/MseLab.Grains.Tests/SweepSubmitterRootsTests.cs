using MseLab.Cluster.Client;
using MseLab.Experiments.Sweeps;
using MseLab.Store;
using MseLab.Store.Records;

namespace MseLab.Grains.Tests;

/// <summary>
/// Submission against the roots and devices workers registered in a real (SQLite) store: paths outside the roots are
/// refused with the sweep file's line, the path and the allowed roots; a sweep without memory_gb asks for the memory
/// plan's estimate, and a declared memory_gb wins over it. Every case is refused before anything is stored or sent.
/// </summary>
public sealed class SweepSubmitterRootsTests : IAsyncLifetime
{
    // meta-llama/Llama-2-7b-hf's config.json, the sizes the memory plan reads.
    private const string Llama2_7B = """
        {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32, "tie_word_embeddings": false, "torch_dtype": "float16"}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-submit-roots-").FullName;
    private ResultsDatabase _database = null!;
    private WorkerRegistry _workers = null!;

    private string Models => Path.Combine(_folder, "models");

    private string Data => Path.Combine(_folder, "data");

    private string Elsewhere => Path.Combine(_folder, "home", "someone");

    public async ValueTask InitializeAsync()
    {
        foreach (var model in new[] { Path.Combine(Models, "llama"), Path.Combine(Elsewhere, "llama") })
        {
            Directory.CreateDirectory(model);
            await File.WriteAllTextAsync(Path.Combine(model, "config.json"), Llama2_7B, Ct);
        }

        Directory.CreateDirectory(Data);
        _database = new ResultsDatabase(new StoreOptions { ConnectionString = $"Data Source={Path.Combine(_folder, "store.db")}" });
        await _database.MigrateAsync(Ct);
        _workers = new WorkerRegistry(_database, new StoreClock(_database));
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    // Store, queue and grains are never reached: every case below is refused before them.
    private SweepSubmitter Submitter => new(null!, null!, _workers, null!, null!, null!);

    private SweepDefinition Sweep(string backbone, string extra = "") => SweepParser.Parse($"""
        name: roots
        backbones:
          - {backbone}
        datasets: [synthetic:mosei]
        seeds: [1]
        precision: paper
        {extra}
        """, Path.Combine(_folder, "sweeps", "roots.yaml"));

    private Task RegisterAsync(double memoryGb = 24) =>
        _workers.RegisterAsync("gpu-1", [new WorkerDevice("gpu-1/cuda:0", "cuda", memoryGb)], new WorkerRoots([Models], [Data]), Ct);

    [Fact]
    public async Task SubmitAsync_BackboneOutsideTheRoots_RefusedWithLinePathAndRoots()
    {
        await RegisterAsync();
        var outside = Path.Combine(Elsewhere, "llama");

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() => Submitter.SubmitAsync(Sweep(outside, "resources: {device: cuda, memory_gb: 20}"), false, Ct));

        Assert.Contains($"roots.yaml:3:5: backbones '{outside}' resolves to {outside}, outside the allowed roots. Allowed: {Models} (the workers' --backbone-root).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_DotDotInsideTheFile_Refused()
    {
        await RegisterAsync();

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            Submitter.SubmitAsync(Sweep("../models/llama", "resources: {device: cuda, memory_gb: 20}"), false, Ct));

        Assert.Contains("roots.yaml:3:5: backbones '../models/llama' has a '..' segment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_SymlinkInsideTheRootsLeadingOut_Refused()
    {
        await RegisterAsync();
        var link = Path.Combine(Models, "borrowed");
        Directory.CreateSymbolicLink(link, Path.Combine(Elsewhere, "llama"));

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() => Submitter.SubmitAsync(Sweep(link, "resources: {device: cuda, memory_gb: 20}"), false, Ct));

        Assert.Contains($"leads through a symbolic link to {Path.Combine(Elsewhere, "llama")}, outside the allowed roots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_DataRootOutsideTheWorkersDataRoots_Refused()
    {
        await RegisterAsync();
        var backbone = Path.Combine(Models, "llama");

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            Submitter.SubmitAsync(Sweep(backbone, $"data_root: {Elsewhere}\nresources: {{device: cuda, memory_gb: 20}}"), false, Ct));

        Assert.Contains($"data_root '{Elsewhere}' resolves to {Elsewhere}, outside the allowed roots. Allowed: {Data} (the workers' --data-root).", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("backbones", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SweepRoots_PathsInsideTheRoots_Accepted()
    {
        await RegisterAsync();
        var sweep = Sweep(Path.Combine(Models, "llama"), $"data_root: {Data}");

        SweepRoots.Check(sweep, await _workers.ListAsync(Ct));   // no exception
        Assert.Equal(new WorkerRoots([Models], [Data]).Backbones, (await _workers.ListAsync(Ct)).Single().Roots.Backbones);
    }

    [Fact]
    public async Task SweepRoots_NoWorkerNamesRoots_LocalPathsAsToday()
    {
        await _workers.RegisterAsync("laptop", [new WorkerDevice("laptop/cpu:0", "cpu", 0)], Ct);

        SweepRoots.Check(Sweep(Path.Combine(Elsewhere, "llama")), await _workers.ListAsync(Ct));   // no exception
    }

    [Fact]
    public async Task SubmitAsync_NoMemoryGb_AsksForTheEstimate()
    {
        await RegisterAsync(memoryGb: 12);

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            Submitter.SubmitAsync(Sweep(Path.Combine(Models, "llama"), "resources: {device: cuda}"), false, Ct));

        // LLaMA2-7B in fp16 is 12.6 GB of weights alone: the estimate (not the old 2 GB default) is what no device fits.
        Assert.Matches(@"need a cuda device with at least 1[3-9]\.\d GB \(the memory plan's estimate", error.Message);
    }

    [Fact]
    public async Task SubmitAsync_DeclaredMemoryGb_WinsOverTheEstimate()
    {
        await RegisterAsync(memoryGb: 24);

        var error = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            Submitter.SubmitAsync(Sweep(Path.Combine(Models, "llama"), "resources: {device: cuda, memory_gb: 30}"), false, Ct));

        Assert.Contains("at least 30 GB (device/memory_gb in", error.Message, StringComparison.Ordinal);
    }
}
