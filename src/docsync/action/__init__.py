"""The GitHub Action's entry point (:mod:`.main`) and its job summary (:mod:`.summary`)."""
