using AgenteVendedor.Conversations;

namespace AgenteVendedor.Channels;

/// <summary>
/// One per cluster (key 0), kept alive by a reminder: every period it wakes the conversations
/// whose inbox rows were never processed — a silo died between the webhook's insert and the answer.
/// </summary>
public interface IInboxSweeperGrain : IGrainWithIntegerKey
{
    Task StartAsync();

    Task<int> SweepAsync();
}

public sealed class InboxSweeperGrain(ChannelStore store, InboxOptions options) : Grain, IInboxSweeperGrain, IRemindable
{
    public const string ReminderName = "barrer-bandeja";

    public async Task StartAsync() => await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(1), options.SweepPeriod);

    public async Task<int> SweepAsync()
    {
        var stranded = await store.StrandedAsync(options.StrandedAfter);
        foreach (var key in stranded)
        {
            await GrainFactory.GetGrain<IConversationGrain>(key).ProcessInboxAsync();
        }

        return stranded.Count;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();
}

/// <summary>
/// Debounce of a burst, how the sweeper finds stranded messages, how often an inbox row may be
/// attempted before it becomes a dead letter, and the per-customer limits of platform chats
/// (Channels:* in configuration).
/// </summary>
public sealed record InboxOptions(
    TimeSpan Debounce, TimeSpan SweepPeriod, TimeSpan StrandedAfter,
    int Attempts = 3, int CustomerMessagesPerMinute = 20, int MaxUnitsPerChatOrder = 50);
