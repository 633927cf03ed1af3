package dev.lifvision.service;

import dev.lifvision.cli.Main;
import dev.lifvision.config.NodeConfig;
import dev.lifvision.publish.MqttTransport;

import java.util.Collection;

/**
 * Home Assistant MQTT discovery: per camera a label sensor, a score sensor, a health sensor and a
 * detection switch; one field-capture switch per node. Configs are retained and re-sent whenever
 * Home Assistant announces itself online, so a restarted Home Assistant finds the node again.
 */
final class HomeAssistant {
    private final NodeConfig cfg;
    private final Topics topics;

    HomeAssistant(NodeConfig cfg, Topics topics) {
        this.cfg = cfg;
        this.topics = topics;
    }

    void publish(MqttTransport mqtt, LoadedModel model, Collection<String> cameras) {
        String node = cfg.nodeId();
        for (String cam : cameras) {
            String id = node + "_" + cam;
            sensor(mqtt, id + "_label", cam + " label", topics.classification(cam), "{{ value_json.label }}", null,
                    "mdi:eye", true);
            sensor(mqtt, id + "_score", cam + " score", topics.classification(cam), "{{ value_json.score | round(3) }}", null,
                    "mdi:percent", false);
            sensor(mqtt, id + "_health", cam + " camera", topics.health(cam), "{{ value_json.state }}", null,
                    "mdi:cctv", true);
            sensor(mqtt, id + "_fps", cam + " classifications per second", topics.health(cam), "{{ value_json.fps_out }}",
                    "fps", "mdi:speedometer", false);
            switchEntity(mqtt, id + "_detect", cam + " detection", topics.detectSet(cam), topics.detectState(cam));
        }
        switchEntity(mqtt, node + "_capture", "field capture", topics.captureSet(), topics.captureState());
    }

    private JsonOut common(JsonOut j, String uniqueId, String name) {
        j.field("name", name).field("unique_id", "lifvision_" + uniqueId).field("object_id", "lifvision_" + uniqueId)
                .field("availability_topic", topics.status()).field("payload_available", "online")
                .field("payload_not_available", "offline");
        j.object("device");
        j.array("identifiers").value("lifvision_" + cfg.nodeId()).closeArray();
        j.field("name", "LIFVision " + cfg.nodeId()).field("manufacturer", "LIFVision").field("model", "spiking vision node")
                .field("sw_version", new Main.Version().getVersion()[0]).close();
        return j;
    }

    private void sensor(MqttTransport mqtt, String uniqueId, String name, String stateTopic, String template, String unit,
                        String icon, boolean attributes) {
        JsonOut j = common(new JsonOut().begin(), uniqueId, name).field("state_topic", stateTopic)
                .field("value_template", template).field("icon", icon);
        if (unit != null) {
            j.field("unit_of_measurement", unit);
        }
        if (attributes) {
            j.field("json_attributes_topic", stateTopic);
        }
        mqtt.publish(topics.discoveryPrefix + "/sensor/" + cfg.nodeId() + "/" + uniqueId + "/config", j.end(), 1, true);
    }

    private void switchEntity(MqttTransport mqtt, String uniqueId, String name, String command, String state) {
        JsonOut j = common(new JsonOut().begin(), uniqueId, name).field("command_topic", command).field("state_topic", state)
                .field("payload_on", "ON").field("payload_off", "OFF").field("state_on", "ON").field("state_off", "OFF");
        mqtt.publish(topics.discoveryPrefix + "/switch/" + cfg.nodeId() + "/" + uniqueId + "/config", j.end(), 1, true);
    }
}
