using MseLab.Models.Runtime;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// The load pattern every family loader follows: read the config, build the model on <see cref="EmptyWeights.Device"/>,
/// fill it with <see cref="HfCheckpoint.LoadInto"/> on the target device, and freeze it. The family loaders keep only
/// their config type, constructor and ignorable tensor names.
/// </summary>
internal static class FrozenBackbone
{
    /// <summary>
    /// Loads <paramref name="directory"/> frozen and in eval mode on <paramref name="device"/> (CPU when null).
    /// <paramref name="folder"/> and <paramref name="createTiny"/> describe the expected folder and the command that
    /// makes a tiny one, for the error when the directory is missing; <paramref name="ignorable"/> gives, per config,
    /// the checkpoint tensors that have no parameter in the model.
    /// </summary>
    public static TModel Load<TConfig, TModel>(
        string directory,
        string folder,
        string createTiny,
        Func<string, TConfig> loadConfig,
        Func<TConfig, Device, TModel> build,
        Func<TConfig, Func<string, bool>> ignorable,
        Device? device)
        where TModel : nn.Module
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"Model directory '{directory}' does not exist. Pass {folder}, " +
                $"or make a tiny one with: {createTiny}");
        }

        var config = loadConfig(Path.Combine(directory, "config.json"));
        // Shapes only: each parameter is allocated once, on the device, when its tensor is read. Constructors still run
        // their init calls (no-ops on meta); the lock keeps them away from a trial seeding the global generator.
        TModel model;
        lock (TorchRuntime.RandomState)
        {
            model = build(config, EmptyWeights.Device);
        }

        try
        {
            HfCheckpoint.LoadInto(model, directory, ignorable(config), device ?? CPU);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        Freeze(model);
        return model;
    }

    /// <summary>Turns gradients off for every parameter and switches to eval mode.</summary>
    public static void Freeze(nn.Module model)
    {
        foreach (var (_, parameter) in model.named_parameters())
        {
            parameter.requires_grad = false;
        }

        model.eval();
    }
}
