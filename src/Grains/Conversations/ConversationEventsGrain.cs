using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace AgenteVendedor.Conversations;

/// <summary>
/// Fans an empresa's conversation changes out to its subscribed observers. Holds nothing worth
/// keeping: after a failover it starts empty and the subscribers' next renewal fills it again.
/// </summary>
public sealed class ConversationEventsGrain(ILogger<ConversationEventsGrain> logger) : Grain, IConversationEventsGrain
{
    private readonly ObserverManager<IConversationEventsObserver> _observers = new(ConversationEvents.SubscriptionLifetime, logger);

    public Task SubscribeAsync(IConversationEventsObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IConversationEventsObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task PublishAsync(ConversationChanged change)
    {
        // Only this empresa's conversations speak here; anything else is a bug upstream, never an event to show.
        if (change.TenantId != this.GetPrimaryKey())
        {
            logger.LogWarning("Dropped a conversation event of another empresa");
            return;
        }

        // The observer's method is one-way: this sends and never waits for the Api; expired observers are dropped here.
        await _observers.Notify(o => o.OnConversationChangedAsync(change));
    }
}
