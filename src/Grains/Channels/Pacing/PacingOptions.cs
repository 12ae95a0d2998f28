namespace AgenteVendedor.Channels.Pacing;

/// <summary>
/// Meta's limits as configured (Channels:WhatsAppMessagesPerSecond, Channels:WhatsAppRecipientBurst,
/// Channels:WhatsAppRecipientSeconds). The pacer keeps <see cref="Headroom"/> below them, so the jitter of the
/// way to Meta (a send that leaves on time may arrive a little late, next to the following one) never
/// makes the platform count more than its limit in a window.
/// </summary>
public sealed record PacingOptions(double MessagesPerSecond, int RecipientBurst, TimeSpan RecipientPeriod)
{
    public const double Headroom = 0.9;

    /// <summary>At most this many slots per reservation: few enough that a silo never sits on much of the number's second.</summary>
    public const int MaxBatch = 8;

    public TimeSpan Spacing => TimeSpan.FromSeconds(1 / (MessagesPerSecond * Headroom));

    public TimeSpan RecipientRefill => RecipientPeriod / Headroom;
}
