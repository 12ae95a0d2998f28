using AgenteVendedor.Channels;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Notifications;

/// <summary>
/// How the outbox is sent (Notifications:* in configuration): attempts of a notification that keeps failing
/// transiently and the first back-off (doubled each time), the claim lease, sends in flight per empresa, and
/// how often and after how long the sweeper wakes outboxes left with due rows.
/// </summary>
public sealed record NotificationOptions(int Attempts, TimeSpan FirstBackoff, TimeSpan Lease, int Concurrency, TimeSpan SweepPeriod, TimeSpan StrandedAfter)
{
    public const int Batch = 64;

    public TimeSpan BackoffAfter(int attempts) => FirstBackoff * Math.Pow(2, Math.Clamp(attempts - 1, 0, 10));
}

/// <summary>
/// One per empresa: sends its due notifications (a few at a time, each paced by the WhatsApp pacer), records
/// what became of each, and comes back by timer for those left to retry. Woken by the TenantGrain after a change
/// of estado commits, and by the sweeper after a crash.
/// </summary>
public sealed class NotificationOutboxGrain(NotificationOutbox outbox, CustomerMessenger messenger, NotificationOptions options, TimeProvider clock,
    ILogger<NotificationOutboxGrain> logger) : Grain, INotificationOutboxGrain
{
    private bool _running;
    private bool _again;
    private IGrainTimer? _retry;

    private Guid TenantId => this.GetPrimaryKey();

    public Task WakeAsync()
    {
        if (_running)
        {
            _again = true;
            return Task.CompletedTask;
        }

        _running = true;
        _ = RunAsync();
        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            do
            {
                _again = false;
                IReadOnlyList<NotificationOutbox.Due> due;
                while ((due = await outbox.ClaimAsync(TenantId, NotificationOptions.Batch, options.Lease)).Count > 0)
                {
                    // Customers at once, each customer's notices one after another: they arrive in the order of the
                    // changes, and the pacer counts each from when the previous one was answered.
                    using var inFlight = new SemaphoreSlim(options.Concurrency);
                    await Task.WhenAll(due.GroupBy(d => (d.Channel, d.CustomerPhone)).Select(async customer =>
                    {
                        await inFlight.WaitAsync();
                        try
                        {
                            foreach (var notification in customer)
                            {
                                await SendAsync(notification);
                            }
                        }
                        finally
                        {
                            inFlight.Release();
                        }
                    }));
                }
            }
            while (_again);

            await ScheduleRetryAsync();
        }
        catch (Exception e)
        {
            // The database went away mid-run: claimed rows come back after their lease (the sweeper wakes us).
            logger.LogWarning(e, "Notifications of {Tenant} stopped; they are retried after their lease", TenantId);
        }
        finally
        {
            _running = false;
        }
    }

    private async Task ScheduleRetryAsync()
    {
        _retry?.Dispose();
        _retry = null;
        if (await outbox.NextDueAsync(TenantId) is { } next)
        {
            var wait = next - clock.GetUtcNow().UtcDateTime;
            var due = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromMinutes(10) ? TimeSpan.FromMinutes(10) : wait;
            _retry = this.RegisterGrainTimer(_ => WakeAsync(), due + TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        }
    }

    private async Task SendAsync(NotificationOutbox.Due due)
    {
        var address = due.Channel == ChannelKinds.WhatsApp ? due.CustomerPhone.TrimStart('+') : due.TelegramChat;
        if (address is null)
        {
            await outbox.FinishAsync(due.Id, "omitida", null, null, null, null,
                "No se encontró un chat de Telegram de este cliente (su teléfono no aparece en ninguna conversación de Telegram).");
            return;
        }

        var (text, parameters) = NotificationTexts.For(due);
        var outcome = await messenger.SendAsync(due.TenantId, due.Channel, address, due.Event, text, parameters);
        switch (outcome)
        {
            case MessageSent sent:
                await outbox.FinishAsync(due.Id, "enviada", sent.Via, sent.Template, sent.ExternalId, null, null);
                break;
            case MessageRefused { Transient: true } refused when due.Attempts < options.Attempts:
                await outbox.RetryLaterAsync(due.Id, options.BackoffAfter(due.Attempts), refused.Via, refused.Template, refused.Code, refused.Message);
                break;
            case MessageRefused refused:
                await outbox.FinishAsync(due.Id, "fallida", refused.Via, refused.Template, null, refused.Code, refused.Message);
                break;
            case MessageOmitted omitted:
                await outbox.FinishAsync(due.Id, "omitida", null, null, null, null, omitted.Reason);
                break;
        }
    }
}

/// <summary>Wakes, every period, the outboxes of empresas whose notifications are overdue: a silo died mid-send, or a wake-up was lost.</summary>
public sealed class NotificationSweeperGrain(NotificationOutbox outbox, NotificationOptions options) : Grain, INotificationSweeperGrain, IRemindable
{
    public const string ReminderName = "barrer-notificaciones";

    public async Task StartAsync() => await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(1), options.SweepPeriod);

    public async Task<int> SweepAsync()
    {
        var tenants = await outbox.OverdueTenantsAsync(options.StrandedAfter);
        foreach (var tenant in tenants)
        {
            await GrainFactory.GetGrain<INotificationOutboxGrain>(tenant).WakeAsync();
        }

        return tenants.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();
}
