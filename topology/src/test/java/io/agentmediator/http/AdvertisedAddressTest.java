package io.agentmediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class AdvertisedAddressTest {

    @Test
    void shouldAdvertiseLocalhostAndThePortListenedOnForAWildcardHost() {
        assertThat(AdvertisedAddress.of(MediatorConfig.defaults(), 41234)).isEqualTo(new HostInfo("localhost", 41234));
    }

    @Test
    void shouldAdvertiseTheHostListenedOnWhenItIsASpecificAddress() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_HOST, "127.0.0.1");

        assertThat(AdvertisedAddress.of(config, 8080)).isEqualTo(new HostInfo("127.0.0.1", 8080));
    }

    @Test
    void shouldAdvertiseWhatIsConfiguredWhateverItListensOn() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "mediator-1.mediator:8080");

        assertThat(AdvertisedAddress.of(config, 40000)).isEqualTo(new HostInfo("mediator-1.mediator", 8080));
    }

    @Test
    void shouldDoubtALoopbackAddressOnlyWhileABrokerIsOnAnotherHost() {
        MediatorConfig remoteBrokers = MediatorConfig.defaults().with(ConfigKeys.BOOTSTRAP_SERVERS, "127.0.0.1:9092, kafka-0.kafka:9092");

        // Two hosts on the defaults: each advertises localhost, and says so
        assertThat(AdvertisedAddress.doubt(remoteBrokers, AdvertisedAddress.of(remoteBrokers, 8080))).hasValueSatisfying(doubt ->
                assertThat(doubt).contains("advertises localhost:8080", "kafka-0.kafka:9092").contains("set http.advertised.address"));
        assertThat(AdvertisedAddress.doubt(remoteBrokers, new HostInfo("::1", 8080))).isPresent();
        // An address of its own, or everything on one machine (the embedded default), is left alone
        assertThat(AdvertisedAddress.doubt(remoteBrokers, new HostInfo("mediator-1.mediator", 8080))).isEmpty();
        for (String local : new String[] {"localhost:9092", "127.0.0.1:9092,[::1]:9093", "SSL://localhost:9093"}) {
            MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.BOOTSTRAP_SERVERS, local);
            assertThat(AdvertisedAddress.doubt(config, AdvertisedAddress.of(config, 8080))).as(local).isEmpty();
        }
    }

    @Test
    void shouldRefuseAnAdvertisedAddressWithoutAPort() {
        MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "mediator-1");

        assertThatThrownBy(() -> AdvertisedAddress.of(config, 8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http.advertised.address must be host:port");
    }

    @Test
    void shouldRefuseAnAdvertisedPortNothingCanListenOn() {
        for (String address : new String[] {"mediator-0.mediator:0", "mediator-0.mediator:99999"}) {
            MediatorConfig config = MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, address);

            assertThatThrownBy(() -> AdvertisedAddress.check(config))
                    .hasMessage("http.advertised.address must name a port from 1 to 65535, not \"" + address + "\"");
        }
        assertThat(AdvertisedAddress.of(MediatorConfig.defaults().with(ConfigKeys.HTTP_ADVERTISED_ADDRESS, "m-0:65535"), 0).port())
                .isEqualTo(65_535);
    }
}
