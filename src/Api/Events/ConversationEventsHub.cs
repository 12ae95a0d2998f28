using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using AgenteVendedor.Conversations;
using Microsoft.Extensions.Options;

namespace AgenteVendedor.Api.Events;

/// <summary>Limits and timings of <c>GET /conversaciones/eventos</c>, under ConversationEvents:*.</summary>
public sealed class ConversationEventsOptions
{
    public const string Section = "ConversationEvents";

    /// <summary>Open streams per empresa on one Api process; one more is answered 429.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerTenant { get; set; } = 50;

    /// <summary>Events kept for a stream whose client reads slowly; beyond it the oldest are dropped.</summary>
    [Range(1, 10_000)]
    public int BufferedEvents { get; set; } = 100;

    /// <summary>Seconds between comment lines on a quiet stream, so proxies keep it open.</summary>
    [Range(1, 300)]
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>Seconds between renewals of each empresa's subscription; well within its one-minute lifetime.</summary>
    [Range(1, 40)]
    public int RenewSeconds { get; set; } = 20;
}

/// <summary>
/// The Api's side of the live conversation events: one Orleans observer per empresa that has open
/// streams, subscribed to that empresa's <see cref="IConversationEventsGrain"/> and renewed on a timer
/// (which also restores it after the grain moved to another silo), fanning each event out to the
/// streams through bounded channels. The last stream of an empresa to close takes its observer away.
/// </summary>
public sealed class ConversationEventsHub(
    IClusterClient cluster, IOptions<ConversationEventsOptions> options, ILogger<ConversationEventsHub> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, TenantFeed> _feeds = [];
    private readonly ConversationEventsOptions _options = options.Value;

    /// <summary>
    /// A new stream of the empresa's events, live once this returns (its observer is subscribed);
    /// null when the empresa already has as many streams open as allowed.
    /// </summary>
    public async Task<ConversationEventsSubscription?> OpenAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        TenantFeed feed;
        ConversationEventsSubscription subscription;
        lock (_lock)
        {
            if (!_feeds.TryGetValue(tenantId, out var found))
            {
                found = new TenantFeed(tenantId);
                // The hub holds the feed strongly: Orleans keeps only a weak reference to an observer object.
                found.Reference = cluster.CreateObjectReference<IConversationEventsObserver>(found);
                _feeds[tenantId] = found;
            }

            feed = found;
            if (feed.Count >= _options.MaxStreamsPerTenant)
            {
                return null;
            }

            subscription = new ConversationEventsSubscription(this, feed, _options.BufferedEvents);
            feed.Add(subscription);
        }

        try
        {
            // Renewing is harmless, and confirms the subscription before the caller tells its client the stream is open.
            await cluster.GetGrain<IConversationEventsGrain>(tenantId).SubscribeAsync(feed.Reference).WaitAsync(cancellationToken);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    internal void Close(TenantFeed feed, ConversationEventsSubscription subscription)
    {
        bool last;
        lock (_lock)
        {
            feed.Remove(subscription);
            last = feed.Count == 0 && _feeds.TryGetValue(feed.TenantId, out var current) && current == feed;
            if (last)
            {
                _feeds.Remove(feed.TenantId);
            }
        }

        if (last)
        {
            _ = RetireAsync(feed);
        }
    }

    private async Task RetireAsync(TenantFeed feed)
    {
        try
        {
            await cluster.GetGrain<IConversationEventsGrain>(feed.TenantId).UnsubscribeAsync(feed.Reference);
        }
        catch (Exception e)
        {
            // Not fatal: an observer nobody renews expires on its own.
            logger.LogInformation("Could not unsubscribe the conversation events of an empresa: {Reason}", e.Message);
        }
        finally
        {
            cluster.DeleteObjectReference<IConversationEventsObserver>(feed);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.RenewSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                TenantFeed[] feeds;
                lock (_lock)
                {
                    feeds = [.. _feeds.Values];
                }

                await Task.WhenAll(feeds.Select(RenewAsync));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The Api is stopping.
        }
    }

    private async Task RenewAsync(TenantFeed feed)
    {
        try
        {
            await cluster.GetGrain<IConversationEventsGrain>(feed.TenantId).SubscribeAsync(feed.Reference);
        }
        catch (Exception e)
        {
            // A silo away for a moment: the next renewal tries again, well before the subscription expires.
            logger.LogWarning("Renewing the conversation events of an empresa failed: {Reason}", e.Message);
        }
    }
}

/// <summary>One empresa's observer in this Api process, and the streams it feeds.</summary>
internal sealed class TenantFeed(Guid tenantId) : IConversationEventsObserver
{
    // Copied on change (under the hub's lock), read without one by the observer.
    private volatile ConversationEventsSubscription[] _subscriptions = [];

    public Guid TenantId => tenantId;

    public IConversationEventsObserver Reference { get; set; } = null!;

    public int Count => _subscriptions.Length;

    public void Add(ConversationEventsSubscription subscription) => _subscriptions = [.. _subscriptions, subscription];

    public void Remove(ConversationEventsSubscription subscription) => _subscriptions = [.. _subscriptions.Where(s => s != subscription)];

    public Task OnConversationChangedAsync(ConversationChanged change)
    {
        if (change.TenantId == tenantId)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Offer(change.Conversation);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>One open stream's events; disposing it closes the stream's place in the hub.</summary>
public sealed class ConversationEventsSubscription : IDisposable
{
    private readonly ConversationEventsHub _hub;
    private readonly TenantFeed _feed;
    private readonly Channel<ConversationSummary> _events;
    private int _disposed;

    internal ConversationEventsSubscription(ConversationEventsHub hub, TenantFeed feed, int capacity)
    {
        _hub = hub;
        _feed = feed;
        // A client that reads slowly loses its oldest events rather than growing the Api's memory.
        _events = Channel.CreateBounded<ConversationSummary>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
    }

    public ChannelReader<ConversationSummary> Events => _events.Reader;

    internal void Offer(ConversationSummary conversation) => _events.Writer.TryWrite(conversation);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _events.Writer.TryComplete();
            _hub.Close(_feed, this);
        }
    }
}
