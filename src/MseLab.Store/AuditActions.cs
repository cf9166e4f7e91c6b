namespace MseLab.Store;

/// <summary>The <c>audit.Action</c> names of the mutations MseLab records.</summary>
public static class AuditActions
{
    public const string SweepSubmit = "sweep.submit";

    public const string SweepCancel = "sweep.cancel";

    public const string WorkerDrain = "worker.drain";

    public const string UserAdd = "user.add";

    public const string TokenCreate = "token.create";

    public const string TokenRevoke = "token.revoke";
}
