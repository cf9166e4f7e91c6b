namespace MseLab.Grains;

/// <summary>
/// A device that runs several trials at once (<see cref="WorkerOptions.TrialsPerDevice"/>) offers one slot per trial, and
/// a slot is a device everywhere a device key appears (device grain, store, worker list, live table). Slot 1 keeps the
/// device's key (<c>host/cuda:0</c>), so nothing changes at one trial per device; slot N is <c>host/cuda:0#N</c>. Torch
/// sees the device itself, so the slots of a device share its backbone.
/// </summary>
public static class DeviceSlots
{
    /// <summary>Between a device and its slot number (never in a configured device: <see cref="DeviceSpec.Parse"/> refuses it).</summary>
    public const char Separator = '#';

    /// <summary>The key of slot <paramref name="slot"/> (from 1) of <paramref name="device"/> on <paramref name="host"/>.</summary>
    public static string KeyOf(string host, string device, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, 1);
        return slot == 1 ? $"{host}/{device}" : $"{host}/{device}{Separator}{slot}";
    }

    /// <summary>
    /// The torch device a slot runs on, from its key or its device part: <c>host/cuda:1#2</c> and <c>cuda:1</c> give
    /// <c>cuda:1</c>; every <c>cpu:N</c> gives <c>cpu</c> (CPU "devices" are slots of one processor: libtorch knows only "cpu").
    /// </summary>
    public static string TorchDeviceOf(string slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var device = slot[(slot.LastIndexOf('/') + 1)..];
        var separator = device.IndexOf(Separator, StringComparison.Ordinal);
        if (separator >= 0)
        {
            device = device[..separator];
        }

        return device.StartsWith("cpu", StringComparison.Ordinal) ? "cpu" : device;
    }
}
