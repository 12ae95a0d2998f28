namespace AgenteVendedor.Channels;

/// <summary>
/// Hands out the send slots of one WhatsApp business number (key: its phone_number_id) to every silo, so
/// the whole cluster stays under the number's throughput. A silo reserves a few slots at a time.
/// </summary>
public interface IWhatsAppThroughputGrain : IGrainWithStringKey
{
    Task<SendSlots> ReserveAsync(int count);
}

/// <summary><paramref name="Count"/> slots, the first at <paramref name="First"/> (UTC) and each <paramref name="Spacing"/> after the previous one.</summary>
[GenerateSerializer, Immutable, Alias("av.SendSlots")]
public sealed record SendSlots([property: Id(0)] DateTime First, [property: Id(1)] TimeSpan Spacing, [property: Id(2)] int Count);

/// <summary>
/// The token bucket of one (business number, customer) pair (key: "{phone_number_id}/{wa_id}"): Meta lets a
/// business send a customer a burst of messages, then about one every few seconds.
/// </summary>
public interface IRecipientPacerGrain : IGrainWithStringKey
{
    /// <summary>Takes the pair's next token: how long the send must wait for it (zero when one is ready).</summary>
    Task<TimeSpan> TakeAsync();
}
