using Orleans.Concurrency;

namespace AgenteVendedor.Conversations;

/// <summary>
/// An empresa's live conversation events (key: empresa id): its conversations announce each change here,
/// and the observers subscribed (one per Api process with listeners) hear it. Subscriptions expire after
/// <see cref="ConversationEvents.SubscriptionLifetime"/> unless renewed.
/// </summary>
public interface IConversationEventsGrain : IGrainWithGuidKey
{
    /// <summary>Subscribes the observer, or renews its subscription.</summary>
    Task SubscribeAsync(IConversationEventsObserver observer);

    Task UnsubscribeAsync(IConversationEventsObserver observer);

    /// <summary>A conversation of this empresa changed; fire and forget, so the conversation never waits for its listeners.</summary>
    [OneWay]
    Task PublishAsync(ConversationChanged change);
}

/// <summary>Hears an empresa's conversation changes (an Api process, through a client object reference).</summary>
public interface IConversationEventsObserver : IGrainObserver
{
    [OneWay]
    Task OnConversationChangedAsync(ConversationChanged change);
}

/// <summary>A conversation after a change was stored: a customer message, an agent or human reply, a handoff.</summary>
[GenerateSerializer, Immutable, Alias("av.ConversationChanged")]
public sealed record ConversationChanged([property: Id(0)] Guid TenantId, [property: Id(1)] ConversationSummary Conversation);

public static class ConversationEvents
{
    /// <summary>How long a subscription lasts without being renewed; subscribers renew well before it ends.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(1);
}
